import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { freePort, isPortOpen, runCommand, startProcess, waitFor, type ManagedProcess } from "./child-process";

/**
 * The S3-compatible server tests and the scale-out script use: moto's server mode (PyPI
 * `moto[server]`), which speaks S3's REST protocol (SigV4, multipart, Range, SSE headers).
 * Pinned so every machine gets the same one.
 */
export const MOTO_VERSION = "5.2.5";

export interface FindS3ServerOptions {
  /** The project's data folder; the virtualenv goes in `<dataDir>/tools/moto-venv`. */
  dataDir: string;
  /** When false, only look; do not install. */
  install?: boolean;
  log?: (line: string) => void;
}

/** Finds `moto_server` in the project virtualenv, installing it there when asked (the default). */
export async function findS3Server(options: FindS3ServerOptions): Promise<string> {
  const log = options.log ?? ((line: string) => console.log(line));
  const venv = path.join(options.dataDir, "tools", "moto-venv");
  const cli = path.join(venv, "bin", "moto_server");
  if (existsSync(cli)) return cli;
  if (options.install === false) throw new Error(`moto_server not found in ${venv}`);
  log(`s3: installing an S3-compatible test server (PyPI moto[server]==${MOTO_VERSION}) into ${venv}`);
  mkdirSync(path.dirname(venv), { recursive: true });
  const python = process.env.PYTHON ?? "python3";
  await runCommand(python, ["-m", "venv", venv]);
  await runCommand(path.join(venv, "bin", "pip"), [
    "install",
    "--quiet",
    "--disable-pip-version-check",
    `moto[server]==${MOTO_VERSION}`,
  ]);
  if (!existsSync(cli)) throw new Error(`moto installed but ${cli} is missing`);
  return cli;
}

export interface LocalS3Server {
  /** http://127.0.0.1:<port>, for the SDK's `endpoint` (path-style addressing). */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** Starts moto's S3 server on a free port (or `port`) and waits until it answers. */
export async function startS3Server(options: {
  cliPath: string;
  port?: number;
  log?: (line: string) => void;
  quiet?: boolean;
}): Promise<LocalS3Server> {
  const port = options.port ?? (await freePort());
  if (await isPortOpen("127.0.0.1", port)) throw new Error(`s3: port ${port} is already in use`);
  const child = startProcess("s3", options.cliPath, ["-H", "127.0.0.1", "-p", String(port)], {
    log: options.log,
    quiet: options.quiet ?? true,
    // moto keeps everything in memory; nothing else to configure.
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: "true" },
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      `the S3 server on ${endpoint}`,
      async () => {
        if (child.child.exitCode !== null) throw new Error(`moto_server exited with ${child.child.exitCode}`);
        if (!(await isPortOpen("127.0.0.1", port))) return undefined;
        const response = await fetch(`${endpoint}/moto-api/`);
        return response.status < 500 ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  } catch (error) {
    await child.stop();
    throw error;
  }
  return {
    endpoint,
    region: "us-east-1",
    accessKeyId: "animateimg-test",
    secretAccessKey: "animateimg-test-secret",
    process: child,
    stop: () => child.stop(),
  };
}
