// `pnpm bench:pipeline` in its tiny mode: it brings up its own services, runs every
// measurement at a small n and ends with one JSON line holding every figure the README's
// performance section lists. No figure is asserted against a goal: the bench is the
// measurement, a loaded CI machine is not.
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { repoRoot } from "./env";

declare module "vitest" {
  export interface ProvidedContext {
    postgresServerUrl: string;
  }
}

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(repoRoot, "tooling/dev/src/bench-pipeline.ts"), ...args],
      {
        cwd: repoRoot,
        // The run's Postgres server; the bench makes (and drops) a database of its own there.
        env: { ...process.env, DATABASE_URL: inject("postgresServerUrl") },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

const numberFields = [
  "e2eOverRawFfmpeg",
  "overheadP50Ms",
  "overheadP95Ms",
  "startRateRatio",
  "hotUserReservationsPerSec",
  "workerRssMbAt1000InFlight",
  "workerRssMbIdle",
  "sseFanoutEventsPerSec",
  "sseQueriesPerEvent",
] as const;

describe("bench:pipeline --tiny", () => {
  it("runs every measurement and ends with one JSON line holding every field", { timeout: 15 * 60_000 }, async () => {
    const { code, stdout, stderr } = await runBench(["--tiny"]);
    expect(code, stderr.slice(-4000)).toBe(0);
    const lines = stdout.trim().split("\n");
    const figures = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    expect(Object.keys(figures).sort()).toEqual([...numberFields, "machine"].sort());
    for (const field of numberFields) {
      expect(typeof figures[field], field).toBe("number");
      expect(Number.isFinite(figures[field]), field).toBe(true);
    }
    // Ratios and rates of work that happened are positive; a zero would mean nothing was measured.
    for (const field of [
      "e2eOverRawFfmpeg",
      "startRateRatio",
      "hotUserReservationsPerSec",
      "workerRssMbIdle",
      "workerRssMbAt1000InFlight",
      "sseFanoutEventsPerSec",
    ] as const)
      expect(figures[field] as number, field).toBeGreaterThan(0);
    const machine = figures.machine as { cores: number; loadAvgStart: number[]; loadAvgEnd: number[] };
    expect(machine.cores).toBeGreaterThan(0);
    expect(machine.loadAvgStart).toHaveLength(3);
    expect(machine.loadAvgEnd).toHaveLength(3);
    // The plain lines say what each figure is beside its goal.
    expect(stdout).toMatch(/ffmpeg alone .*goal ≤ 1\.10/);
    expect(stdout).toMatch(/through tRPC .* bare .*goal ≥ 0\.5/);
  });
});
