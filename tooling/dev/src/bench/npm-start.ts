// One `npm start` as a person runs it (its own process group, as a terminal's foreground job),
// timed from the command to the app's "AnimateImg is up" line: that line comes after the web app
// reported every part healthy (tooling/dev/src/dev.ts). Stopped as Ctrl-C stops it.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { waitFor } from "@animateimg/local-services";
import { repoRoot } from "../env";

export interface RunningNpmStart {
  /** Seconds from spawning `npm start` to its "AnimateImg is up" line. */
  seconds: number;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startNpmStart({
  env,
  outputFile,
  timeoutMs = 1_800_000,
}: {
  env: Record<string, string | undefined>;
  /** Where everything the run printed is written once it stopped (kept: the figures' evidence). */
  outputFile: string;
  timeoutMs?: number;
}): Promise<RunningNpmStart> {
  const started = performance.now();
  const child = spawn("npm", ["start"], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, "exit");
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        // Ctrl-C in a terminal: SIGINT to every process of the foreground group at once.
        process.kill(-child.pid!, "SIGINT");
      } catch {
        // Already gone.
      }
      await exited;
    }
    // npm dies of the SIGINT at once; the dev command behind it says when everything stopped.
    try {
      await waitFor(
        "npm start to say it stopped",
        () => Promise.resolve(/^stopped\.$/m.test(output) || !isGroupAlive(child.pid!) ? true : undefined),
        {
          timeoutMs: 120_000,
          intervalMs: 250,
        },
      );
    } finally {
      writeFileSync(outputFile, output);
    }
  };
  let seconds: number;
  try {
    await waitFor(
      "npm start to say the app is up",
      () => {
        if (output.includes("AnimateImg is up")) return Promise.resolve(true);
        if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
        return Promise.resolve(undefined);
      },
      { timeoutMs, intervalMs: 100 },
    );
    seconds = (performance.now() - started) / 1000;
  } catch (error) {
    await stop().catch(() => {});
    throw new Error(`${(error as Error).message}\n--- output ---\n${output.slice(-6000)}`, { cause: error });
  }
  return { seconds, output: () => output, stop };
}

function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
