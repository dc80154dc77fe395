import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { freePort, isPortOpen, runCommand } from "./child-process";

export type PostgresSource = "DATABASE_URL" | "server on 127.0.0.1:5432" | "project-local cluster";

export interface ResolvedPostgres {
  /** Server URL without a database name in the path (…/postgres for admin work). */
  serverUrl: string;
  source: PostgresSource;
  /** Stops the project-local cluster when this process started it; otherwise a no-op. */
  stop(): Promise<void>;
}

export interface ResolvePostgresOptions {
  databaseUrl?: string | undefined;
  /** Where a project-local cluster lives: `<dataDir>/postgres`. */
  dataDir: string;
  /** Skip the 127.0.0.1:5432 probe (tests of the local cluster path use this). */
  skipDefaultServer?: boolean;
  log?: (line: string) => void;
}

const DEFAULT_SERVER = { host: "127.0.0.1", port: 5432 };

/**
 * Chooses the Postgres server: DATABASE_URL, else a server on 127.0.0.1:5432 that lets us
 * in, else a cluster under the data folder made with the machine's initdb/pg_ctl.
 */
export async function resolvePostgres(options: ResolvePostgresOptions): Promise<ResolvedPostgres> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (options.databaseUrl) {
    log(`postgres: using DATABASE_URL (${redact(options.databaseUrl)})`);
    return { serverUrl: withDatabase(options.databaseUrl, "postgres"), source: "DATABASE_URL", stop: async () => {} };
  }
  if (!options.skipDefaultServer && (await isPortOpen(DEFAULT_SERVER.host, DEFAULT_SERVER.port))) {
    for (const user of [process.env.USER, "postgres"].filter(Boolean)) {
      const url = `postgres://${user}@${DEFAULT_SERVER.host}:${DEFAULT_SERVER.port}/postgres`;
      if (await canConnect(url)) {
        log(`postgres: using the server on 127.0.0.1:5432 as ${user}`);
        return { serverUrl: url, source: "server on 127.0.0.1:5432", stop: async () => {} };
      }
    }
    log("postgres: a server answers on 127.0.0.1:5432 but refused us; starting a project-local cluster instead");
  }
  return startLocalCluster(path.join(options.dataDir, "postgres"), log);
}

/** Creates `name` on the server if it does not exist yet. Returns the database's URL. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`unsafe database name: ${name}`);
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount === 0) {
      try {
        await client.query(`create database "${name}"`);
      } catch (error) {
        // Two processes may race to create it; the loser sees duplicate_database (42P04).
        if ((error as { code?: string }).code !== "42P04") throw error;
      }
    }
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, name);
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Finds initdb and pg_ctl: PATH first, then Debian's versioned directories. */
export function findPostgresBinaries(): { initdb: string; pgCtl: string } {
  const candidates: string[] = [];
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) if (dir) candidates.push(dir);
  const debianRoot = "/usr/lib/postgresql";
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot).sort((a, b) => Number(b) - Number(a));
    for (const version of versions) candidates.push(path.join(debianRoot, version, "bin"));
  }
  for (const dir of candidates) {
    const initdb = path.join(dir, "initdb");
    const pgCtl = path.join(dir, "pg_ctl");
    if (existsSync(initdb) && existsSync(pgCtl)) return { initdb, pgCtl };
  }
  throw new Error(
    "postgres: no DATABASE_URL, no server on 127.0.0.1:5432, and no initdb/pg_ctl found. Install PostgreSQL (apt-get install postgresql) or set DATABASE_URL.",
  );
}

/** The port of a cluster already running on `pgData`, read from its postmaster.pid. */
function runningClusterPort(pgData: string): number | undefined {
  const pidFile = path.join(pgData, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(pidLine);
  try {
    process.kill(pid, 0);
  } catch {
    return undefined; // stale pid file from a crash; pg_ctl start cleans it up
  }
  const port = Number(portLine);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/**
 * PostgreSQL refuses to run as root. When we are root, the cluster is owned by and run as
 * the `postgres` system user (created by Debian's package) instead.
 */
function runAsArgs(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ["runuser", ["-u", "postgres", "--", command, ...args]];
}

async function startLocalCluster(clusterDir: string, log: (line: string) => void): Promise<ResolvedPostgres> {
  const { initdb, pgCtl } = findPostgresBinaries();
  const asRoot = process.getuid?.() === 0;
  mkdirSync(clusterDir, { recursive: true });
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(clusterDir, uid, gid);
  }
  const pgData = path.join(clusterDir, "data");
  if (!existsSync(path.join(pgData, "PG_VERSION"))) {
    log(`postgres: creating a project-local cluster in ${pgData}`);
    await runCommand(
      ...runAsArgs(initdb, ["-D", pgData, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-instructions"]),
    );
  }
  const running = runningClusterPort(pgData);
  if (running !== undefined) {
    // Another process of ours (the dev command, say) already runs it: share, never stop it.
    log(`postgres: using the running project-local cluster on 127.0.0.1:${running}`);
    return {
      serverUrl: `postgres://postgres@127.0.0.1:${running}/postgres`,
      source: "project-local cluster",
      stop: async () => {},
    };
  }
  const port = await freePort();
  const logFile = path.join(clusterDir, "postgres.log");
  if (!existsSync(logFile)) writeFileSync(logFile, "");
  if (asRoot) execFileSync("chown", ["postgres:postgres", logFile]);
  await runCommand(
    ...runAsArgs(pgCtl, [
      "-D",
      pgData,
      "-l",
      logFile,
      "-w",
      "-o",
      `-p ${port} -c listen_addresses=127.0.0.1 -k ${clusterDir}`,
      "start",
    ]),
  );
  log(`postgres: started a project-local cluster on 127.0.0.1:${port} (${pgData})`);
  return {
    serverUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    source: "project-local cluster",
    stop: async () => {
      await runCommand(...runAsArgs(pgCtl, ["-D", pgData, "-m", "fast", "-w", "stop"]));
    },
  };
}
