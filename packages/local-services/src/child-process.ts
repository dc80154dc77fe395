import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  readonly exited: Promise<number | string>;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs`. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

const started = new Set<ManagedProcess>();

/**
 * Stops every process `startProcess` started in this process that is still running, e.g. one
 * whose start-up was still being awaited when Ctrl-C arrived.
 */
export async function stopAllStartedProcesses(): Promise<void> {
  await Promise.all([...started].map((managed) => managed.stop()));
}

/**
 * Starts a child in its own process group, so stopping it also stops whatever it spawned
 * (next dev spawns workers; pg_ctl forks postgres). Output is prefixed with the name.
 */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions & { log?: (line: string) => void; quiet?: boolean } = {},
): ManagedProcess {
  const { log = (line) => process.stdout.write(`${line}\n`), quiet = false, ...spawnOptions } = options;
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], detached: true, ...spawnOptions });
  const forward = (stream: NodeJS.ReadableStream | null) => {
    if (!stream) return;
    let buffered = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      if (!quiet) for (const line of lines) log(`[${name}] ${line}`);
    });
  };
  forward(child.stdout);
  forward(child.stderr);

  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
    child.once("error", (error) => {
      log(`[${name}] failed to start: ${error.message}`);
      resolve("spawn-error");
    });
  });

  let stopping: Promise<void> | undefined;
  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  const stop = (graceMs = 10_000) => {
    stopping ??= (async () => {
      signalGroup("SIGTERM");
      const timer = setTimeout(() => signalGroup("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
      // Grandchildren may outlive the leader; make sure none of the group is left.
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // Nothing left.
        }
      }
    })();
    return stopping;
  };
  const managed: ManagedProcess = { name, child, exited, stop };
  started.add(managed);
  void exited.then(() => started.delete(managed));
  return managed;
}

/** Runs a command to completion; rejects with its output when it fails. */
export async function runCommand(
  command: string,
  args: string[],
  options: SpawnOptions = {},
): Promise<{ stdout: string; stderr: string }> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await Promise.race([
    once(child, "exit"),
    once(child, "error").then(([error]) => {
      throw error;
    }),
  ])) as [number | null];
  if (code !== 0) {
    const output = `${stderr}${stdout}`.trim().split("\n").slice(-20).join("\n");
    throw new Error(`${command} ${args.join(" ")} exited with ${code}:\n${output}`);
  }
  return { stdout, stderr };
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (address === null || typeof address === "string") throw new Error("could not allocate a port");
  return address.port;
}

/** True when something accepts TCP connections on host:port. */
export async function isPortOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  const { connect } = await import("node:net");
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** Polls `check` until it returns a value, or throws the last error after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  { timeoutMs = 60_000, intervalMs = 200 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : "";
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
