// Starts the whole app the way `pnpm dev` does (tooling/dev/src/dev.ts --dev), isolated for one
// test file: its own database, Temporal dev server and ports, data folder and Next build dir.
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { findTemporalCli, freePort, waitFor } from "@animateimg/local-services";

export const repoRoot = path.resolve(import.meta.dirname, "../../..");

export interface AppUnderTest {
  url: string;
  databaseUrl: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startApp({
  postgresServerUrl,
  name,
  env = {},
  args = [],
}: {
  postgresServerUrl: string;
  name: string;
  /** More settings for the dev command (e.g. PAYMENTS_PROVIDER=creem). */
  env?: Record<string, string>;
  /** Arguments for the dev command (e.g. --demo-providers). */
  args?: string[];
}): Promise<AppUnderTest> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `animateimg-${name}-`));
  chmodSync(dataDir, 0o755);
  const databaseName = `${name}_${process.pid}`;
  const distDir = `.next-${name}-${process.pid}`;
  const [webPort, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  const cliPath = await findTemporalCli({ dataDir: process.env.ANIMATEIMG_DATA_DIR ?? path.join(repoRoot, ".data") });
  // `--dev` (next dev, as `pnpm dev` runs it), deliberately: these files test what the app does,
  // each in its own build folder, and compile only the pages they visit. The production path of
  // `npm start` (build once, then serve) is tested by tooling/dev/src/dev.test.ts.
  // Node with tsx's loader rather than the tsx CLI, which SIGKILLs a child slow to acknowledge SIGINT.
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "tooling/dev/src/dev.ts", "--dev", ...args], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: "",
      DATABASE_NAME: databaseName,
      TEMPORAL_ADDRESS: "",
      TEMPORAL_CLI_PATH: cliPath,
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      TEMPORAL_TASK_QUEUE: `${name}-${process.pid}`,
      ANIMATEIMG_DATA_DIR: dataDir,
      WEB_PORT: String(webPort),
      NEXT_DIST_DIR: distDir,
      NEXT_TELEMETRY_DISABLED: "1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGINT");
    await exited;
    rmSync(path.join(repoRoot, "apps/web", distDir), { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: postgresServerUrl });
    await admin.connect();
    await admin.query(`drop database if exists "${databaseName}" with (force)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitFor(
      "the app to come up",
      () => Promise.resolve(output.includes("AnimateImg is up") ? true : child.exitCode !== null ? true : undefined),
      {
        timeoutMs: 240_000,
        intervalMs: 250,
      },
    );
    if (child.exitCode !== null) throw new Error("the dev command exited");
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- output ---\n${output}`, { cause: error });
  }
  const databaseUrl = Object.assign(new URL(postgresServerUrl), { pathname: `/${databaseName}` }).toString();
  return { url: `http://localhost:${webPort}`, databaseUrl, output: () => output, stop };
}
