// The real parts every measurement shares: a Postgres database of its own, a Temporal dev
// server, one workflow bundle, and workers in their own processes (so their memory is theirs).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client, Connection } from "@temporalio/client";
import { createDb, migrateToLatest, sql, type Db } from "@animateimg/db";
import {
  ensureDatabase,
  findTemporalCli,
  resolvePostgres,
  startTemporalDevServer,
  waitFor,
  withDatabase,
} from "@animateimg/local-services";
import { createLocalEncryptedStore, type BlobStore } from "@animateimg/storage";
import { dataConverterFor } from "@animateimg/workflows/payload-codec";
import { customSearchAttributes } from "@animateimg/workflows/search-attributes";
import { testPayloadKeys } from "@animateimg/workflows/testing/payload-keys";
// The worker's own Node flags (heap bounds), as apps/worker starts it in production.
import { bundleWorkflows, workerNodeFlags } from "@animateimg/workflows/worker";
import { repoRoot } from "../env";

export interface BenchServices {
  db: Db;
  databaseUrl: string;
  temporalAddress: string;
  /** Encrypts payloads with the same keys as the worker processes, as production does. */
  client: Client;
  blobStore: BlobStore;
  blobRoot: string;
  scratch: string;
  startWorker(options: WorkerProcessOptions): Promise<WorkerProcess>;
  stop(): Promise<void>;
}

export interface WorkerProcessOptions {
  taskQueue: string;
  renderSlots?: number;
  /** ProviderRegistryConfig for the worker (the fakes' URLs and credentials). */
  providerRegistry?: unknown;
  /** Per-provider slot and rate overrides (see providerWorkerLimits). */
  providerLimits?: Record<string, { perSecond?: number; concurrentJobs?: number }>;
  /** Where a provider downloads the input photo from. */
  mediaUrl?: string;
}

export interface WorkerProcess {
  pid: number;
  /** Resident set size now, MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

// The key id the worker process (packages/workflows/src/testing/worker-process.ts) uses.
const blobKeyId = "test";

export async function startBenchServices({ log }: { log: (line: string) => void }): Promise<BenchServices> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };
  try {
    const scratch = mkdtempSync(path.join(tmpdir(), "animateimg-bench-"));
    cleanups.push(() => Promise.resolve(rmSync(scratch, { recursive: true, force: true })));
    const dataDir = process.env.ANIMATEIMG_DATA_DIR ?? path.join(repoRoot, ".data");

    const postgres = await resolvePostgres({ databaseUrl: process.env.DATABASE_URL, dataDir, log });
    cleanups.push(() => postgres.stop());
    const databaseName = `bench_${process.pid}`;
    const databaseUrl = await ensureDatabase(postgres.serverUrl, databaseName);
    cleanups.push(async () => {
      const admin = createDb({ url: withDatabase(postgres.serverUrl, "postgres"), maxConnections: 1 });
      await sql`drop database if exists ${sql.id(databaseName)} with (force)`.execute(admin);
      await admin.destroy();
    });
    const db = createDb({ url: databaseUrl, maxConnections: 20 });
    cleanups.push(() => db.destroy());
    await migrateToLatest(db);

    const cliPath = await findTemporalCli({ cliPath: process.env.TEMPORAL_CLI_PATH, dataDir, log });
    const temporal = await startTemporalDevServer({
      cliPath,
      dbFile: path.join(scratch, "temporal.db"),
      quiet: true,
      searchAttributes: customSearchAttributes,
    });
    cleanups.push(() => temporal.stop());
    const bundlePath = path.join(scratch, "bundle.js");
    writeFileSync(bundlePath, (await bundleWorkflows()).code);

    const connection = await Connection.connect({ address: temporal.address });
    cleanups.push(() => connection.close());
    const client = new Client({ connection, namespace: "default", ...dataConverterFor(testPayloadKeys) });

    const blobRoot = path.join(scratch, "blobs");
    const blobKey = randomBytes(32);
    const blobStore = createLocalEncryptedStore({
      root: blobRoot,
      keys: new Map([[blobKeyId, blobKey]]),
      activeKeyId: blobKeyId,
    });

    const startWorker = async (options: WorkerProcessOptions): Promise<WorkerProcess> => {
      const child: ChildProcess = spawn(
        process.execPath,
        [
          ...workerNodeFlags,
          "--import",
          "tsx",
          path.join(repoRoot, "packages/workflows/src/testing/worker-process.ts"),
        ],
        {
          cwd: repoRoot,
          env: {
            ...process.env,
            DATABASE_URL: databaseUrl,
            TEMPORAL_ADDRESS: temporal.address,
            TASK_QUEUE: options.taskQueue,
            WORKFLOW_BUNDLE_PATH: bundlePath,
            BLOB_ROOT: blobRoot,
            BLOB_KEY: blobKey.toString("base64"),
            ...(options.renderSlots ? { RENDER_SLOTS: String(options.renderSlots) } : {}),
            ...(options.providerRegistry ? { PROVIDER_REGISTRY: JSON.stringify(options.providerRegistry) } : {}),
            ...(options.providerLimits ? { PROVIDER_LIMITS: JSON.stringify(options.providerLimits) } : {}),
            ...(options.mediaUrl ? { MEDIA_URL: options.mediaUrl } : {}),
          },
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      let exited = false;
      const done = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      void done.then(() => (exited = true));
      const stopChild = async () => {
        if (!exited) child.kill("SIGKILL");
        await done;
      };
      cleanups.push(stopChild);
      let output = "";
      child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      await waitFor(
        "the worker to start",
        () => {
          if (exited) throw new Error("the worker process exited before it was ready");
          return Promise.resolve(output.includes("worker-ready") ? true : undefined);
        },
        { timeoutMs: 120_000 },
      );
      return {
        pid: child.pid!,
        rssMb: () => {
          const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
          return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
        },
        stop: stopChild,
      };
    };

    return {
      db,
      databaseUrl,
      temporalAddress: temporal.address,
      client,
      blobStore,
      blobRoot,
      scratch,
      startWorker,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Samples a worker's RSS every `intervalMs` until stopped; returns the highest, MB. */
export function sampleRss(worker: WorkerProcess, intervalMs = 100): { stop(): number } {
  let peak = worker.rssMb();
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, worker.rssMb());
    } catch {
      // The process ended; the peak so far stands.
    }
  }, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, worker.rssMb());
    },
  };
}
