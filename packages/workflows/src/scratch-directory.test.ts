// Decrypted photos and rendered videos sit in the worker's scratch folder while it renders:
// no other local user may read them, and none may outlive the worker.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const parent = path.join(mkdtempSync(path.join(tmpdir(), "animateimg-scratch-test-")), "scratch");
afterAll(() => rmSync(path.dirname(parent), { recursive: true, force: true }));

// A worker-like process: opens its scratch folder, writes a file itself and has a child
// process (as ffmpeg does) write another, reports their modes, then exits.
const script = `
import { spawnSync } from "node:child_process";
import { statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openScratchDirectory } from "./packages/workflows/src/scratch-directory.ts";
const scratch = openScratchDirectory({ parent: process.argv.at(-1), log: (line) => console.log(line) });
const job = path.join(scratch.path, "gen-1");
(await import("node:fs/promises")).mkdir(job).then(() => {
  writeFileSync(path.join(job, "photo.jpg"), "decrypted bytes");
  spawnSync("sh", ["-c", "echo rendered > " + JSON.stringify(path.join(job, "out.mp4"))]);
  const mode = (file) => (statSync(file).mode & 0o777).toString(8);
  console.log(JSON.stringify({ dir: scratch.path, parent: mode(process.argv.at(-1)), own: mode(scratch.path), job: mode(job), photo: mode(path.join(job, "photo.jpg")), video: mode(path.join(job, "out.mp4")) }));
});
`;

function runWorkerLike(): Promise<{ output: string; code: number | null }> {
  const child = spawn(path.join(repoRoot, "node_modules/.bin/tsx"), ["--input-type=module", "-e", script, parent], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ output, code })));
}

describe("worker scratch folder", () => {
  it("is private (0700, files 0600 even from child processes) and removed when the worker exits", async () => {
    const { output, code } = await runWorkerLike();
    expect(code, output).toBe(0);
    const report = JSON.parse(output.trim().split("\n").at(-1)!) as Record<string, string>;
    expect(report).toMatchObject({ parent: "700", own: "700", photo: "600", video: "600" });
    expect(report.job).toBe("700");
    expect(() => statSync(report.dir!)).toThrow(/ENOENT/);
    expect(readdirSync(parent)).toEqual([]);
  });

  it("sweeps folders left by workers that died, and keeps those of running ones", async () => {
    mkdirSync(parent, { recursive: true });
    const dead = path.join(parent, "proc-2147483646-abc123");
    const alive = path.join(parent, `proc-${process.pid}-def456`);
    for (const dir of [dead, alive]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, "left.mp4"), "x");
    }
    const { output, code } = await runWorkerLike();
    expect(code, output).toBe(0);
    expect(output).toContain("removed 1 scratch folder(s) left by stopped workers");
    expect(readdirSync(parent)).toEqual([path.basename(alive)]);
    rmSync(alive, { recursive: true, force: true });
  });
});
