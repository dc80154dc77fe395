// Everything one chaos run owns: its own database (behind a TCP proxy we can cut), its own
// Temporal dev server (killed, paused and restarted at will), the provider fakes, an encrypted
// blob folder, and worker processes. Nothing shared with other runs or other people is stopped.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createDb, migrateToLatest, type Db } from "@animateimg/db";
import {
  ensureDatabase,
  findTemporalCli,
  freePort,
  resolvePostgres,
  startTemporalDevServer,
  withDatabase,
  type TemporalDevServer,
} from "@animateimg/local-services";
import { ensureFakeVideo, startFakeProviders, type FakeProviders } from "@animateimg/provider-fakes";
import type { ProviderRegistryConfig } from "@animateimg/providers";
import { createLocalEncryptedStore, type BlobStore } from "@animateimg/storage";
import { createTemporalClientSource, type TemporalClientSource } from "@animateimg/workflows/orchestrator";
import type { GenerationTimeouts } from "@animateimg/workflows/shared";
import { customSearchAttributes } from "@animateimg/workflows/search-attributes";
import { bundleWorkflows } from "@animateimg/workflows/worker";
import type { ChaosWorkerConfig } from "./chaos-worker";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy";

const root = path.resolve(import.meta.dirname, "../../..");

export interface ChaosWorker {
  identity: string;
  child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface ChaosEnvironment {
  /** Direct to Postgres, for the audit (never cut). */
  auditDb: Db;
  /** Through the proxy: what the "web side" (creates, cancels) uses. */
  appDb: Db;
  postgres: TcpProxy;
  temporal: {
    address: string;
    kill(): Promise<void>;
    restart(): Promise<void>;
    pause(): void;
    resume(): void;
  };
  client: TemporalClientSource;
  fakes: FakeProviders;
  blobRoot: string;
  blobStore: BlobStore;
  taskQueue: string;
  timeouts: GenerationTimeouts;
  workers: ChaosWorker[];
  startWorker(providers: string[], relativeCosts?: ProviderRegistryConfig["relativeCosts"]): Promise<ChaosWorker>;
  /** Stops every worker (SIGTERM, then SIGKILL). */
  stopWorkers(): Promise<void>;
  providerConfig(only: string[], relativeCosts?: ProviderRegistryConfig["relativeCosts"]): ProviderRegistryConfig;
  close(): Promise<void>;
}

export interface ChaosEnvironmentOptions {
  log: (line: string) => void;
  timeouts: GenerationTimeouts;
  /**
   * Use this Temporal server instead of starting one (the test run's): scenarios that kill or
   * pause Temporal then cannot run.
   */
  temporalAddress?: string;
  /** A prebuilt workflow bundle (the test run's). */
  bundlePath?: string;
  /** Admin URL of a Postgres server to make the run's database on (the test run's). */
  postgresServerUrl?: string;
}

export async function startChaosEnvironment(options: ChaosEnvironmentOptions): Promise<ChaosEnvironment> {
  const { log } = options;
  const scratch = mkdtempSync(path.join(tmpdir(), "animateimg-chaos-"));
  const dataDir = process.env.ANIMATEIMG_DATA_DIR ?? path.join(root, ".data");
  const postgres = options.postgresServerUrl
    ? { serverUrl: options.postgresServerUrl, stop: () => Promise.resolve() }
    : await resolvePostgres({ databaseUrl: process.env.DATABASE_URL, dataDir, log });
  const dbName = `animateimg_chaos_${process.pid}_${randomBytes(3).toString("hex")}`;
  const directUrl = await ensureDatabase(postgres.serverUrl, dbName);
  const auditDb = createDb({ url: directUrl, maxConnections: 4 });
  await migrateToLatest(auditDb);
  const target = new URL(directUrl);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const proxiedUrl = new URL(directUrl);
  proxiedUrl.hostname = "127.0.0.1";
  proxiedUrl.port = String(proxy.port);
  const appDb = createDb({ url: proxiedUrl.toString(), maxConnections: 6 });

  const temporalDb = path.join(scratch, "temporal.db");
  const temporalPort = options.temporalAddress ? 0 : await freePort();
  const cliPath = options.temporalAddress
    ? ""
    : await findTemporalCli({ cliPath: process.env.TEMPORAL_CLI_PATH, dataDir, log });
  const startTemporal = async (): Promise<TemporalDevServer | undefined> =>
    options.temporalAddress
      ? undefined
      : startTemporalDevServer({
          cliPath,
          dbFile: temporalDb,
          port: temporalPort,
          quiet: true,
          startTimeoutMs: 120_000,
          searchAttributes: customSearchAttributes,
        });
  let temporal = await startTemporal();
  const temporalAddress = options.temporalAddress ?? temporal!.address;
  const ownTemporal = () => {
    if (!temporal) throw new Error("this scenario stops Temporal: run it with pnpm chaos (its own Temporal server)");
    return temporal;
  };
  let bundlePath = options.bundlePath;
  if (!bundlePath) {
    bundlePath = path.join(scratch, "workflow-bundle.js");
    writeFileSync(bundlePath, (await bundleWorkflows()).code);
  }
  const fakes = await startFakeProviders({
    videoPath: await ensureFakeVideo(),
    lifecycle: { queuedPolls: 1, pollsToComplete: 3 },
  });
  const blobRoot = path.join(scratch, "blobs");
  const blobKey = randomBytes(32);
  const blobStore = createLocalEncryptedStore({
    root: blobRoot,
    keys: new Map([["chaos", blobKey]]),
    activeKeyId: "chaos",
  });
  const taskQueue = `chaos-${randomBytes(4).toString("hex")}`;
  const client = createTemporalClientSource({ address: temporalAddress, namespace: "default" });
  log(
    `chaos: database ${dbName} behind proxy :${proxy.port}; temporal ${temporalAddress}; fakes ${fakes.origin}; queue ${taskQueue}`,
  );

  const providerConfig = (
    only: string[],
    relativeCosts?: ProviderRegistryConfig["relativeCosts"],
  ): ProviderRegistryConfig => {
    const c = fakes.credentials;
    const all: ProviderRegistryConfig = {
      kling: { baseUrl: fakes.baseUrls.kling, accessKey: c.kling.accessKey, secretKey: c.kling.secretKey },
      google: { baseUrl: fakes.baseUrls.google, apiKey: c.google.apiKey },
      bytedance: { baseUrl: fakes.baseUrls.bytedance, apiKey: c.bytedance.apiKey },
      kie: { baseUrl: fakes.baseUrls.kie, apiKey: c.kie.apiKey, webhookHmacKey: c.kie.webhookHmacKey },
      fal: { baseUrl: fakes.baseUrls.fal, apiKey: c.fal.apiKey, jwksUrl: fakes.falJwksUrl },
      replicate: {
        baseUrl: fakes.baseUrls.replicate,
        apiToken: c.replicate.apiToken,
        webhookSecret: c.replicate.webhookSecret,
      },
      // A provider that does not answer within 3 s is hung (production: 30 s).
      timeoutMs: 3000,
    };
    const chosen = Object.fromEntries(
      Object.entries(all).filter(([key]) => only.includes(key) || key === "timeoutMs"),
    ) as ProviderRegistryConfig;
    return relativeCosts ? { ...chosen, relativeCosts } : chosen;
  };

  const workers: ChaosWorker[] = [];
  let workerNo = 0;
  const env: ChaosEnvironment = {
    auditDb,
    appDb,
    postgres: proxy,
    temporal: {
      address: temporalAddress,
      kill: async () => {
        const server = ownTemporal();
        const pid = server.process.child.pid;
        if (pid !== undefined) process.kill(-pid, "SIGKILL");
        await server.process.exited;
      },
      restart: async () => {
        ownTemporal();
        temporal = await startTemporal();
      },
      pause: () => {
        const pid = ownTemporal().process.child.pid;
        if (pid !== undefined) process.kill(-pid, "SIGSTOP");
      },
      resume: () => {
        const pid = ownTemporal().process.child.pid;
        if (pid !== undefined) process.kill(-pid, "SIGCONT");
      },
    },
    client,
    fakes,
    blobRoot,
    blobStore,
    taskQueue,
    timeouts: options.timeouts,
    workers,
    providerConfig,
    async startWorker(providers, relativeCosts) {
      workerNo += 1;
      const identity = `chaos-worker-${workerNo}`;
      const config: ChaosWorkerConfig = {
        databaseUrl: proxiedUrl.toString(),
        temporalAddress,
        taskQueue,
        bundlePath,
        blobRoot,
        blobKey: blobKey.toString("base64"),
        providers: providerConfig(providers, relativeCosts),
        mediaUrl: fakes.mediaUrl("photo.png"),
        identity,
        renderSlots: 2,
        timeouts: options.timeouts,
        reconcile: { every: "5 seconds", input: { graceMs: 15_000, maxRestarts: 3 } },
      };
      const child = spawn(
        path.join(root, "node_modules/.bin/tsx"),
        [path.join(import.meta.dirname, "chaos-worker.ts")],
        {
          env: { ...process.env, CHAOS_WORKER: JSON.stringify(config) },
          stdio: ["ignore", "pipe", "pipe"],
          // Its own process group: tsx runs the worker in a child node process, and a kill must
          // reach that one (a SIGKILL to tsx alone would leave the real worker running).
          detached: true,
        },
      );
      const signalGroup = (signal: NodeJS.Signals) => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, signal);
        } catch {
          // Already gone.
        }
      };
      const ready = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${identity} did not start within 120 s`)), 120_000);
        child.stdout.setEncoding("utf8");
        child.stdout.on("data", (chunk: string) => {
          if (chunk.includes("worker-ready")) {
            clearTimeout(timer);
            resolve();
          }
          for (const line of chunk.split("\n"))
            if (line.trim() && !line.includes("worker-ready")) log(`[${identity}] ${line}`);
        });
        child.stderr.setEncoding("utf8");
        child.stderr.on("data", (chunk: string) => {
          for (const line of chunk.split("\n")) if (line.trim()) log(`[${identity}] ${line}`);
        });
        child.once("exit", (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`${identity} exited (${code ?? signal}) before it was ready`));
        });
      });
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      const worker: ChaosWorker = {
        identity,
        child,
        kill: async (signal = "SIGKILL") => {
          if (child.exitCode === null && child.signalCode === null) signalGroup(signal);
          const timer = setTimeout(() => signalGroup("SIGKILL"), 15_000);
          await exited;
          clearTimeout(timer);
          const index = workers.indexOf(worker);
          if (index >= 0) workers.splice(index, 1);
        },
      };
      await ready;
      workers.push(worker);
      return worker;
    },
    async stopWorkers() {
      await Promise.all([...workers].map((w) => w.kill("SIGTERM")));
    },
    async close() {
      await env.stopWorkers();
      await client.close();
      await fakes.stop();
      if (temporal) {
        env.temporal.resume();
        await temporal.stop();
      }
      await appDb.destroy().catch(() => {});
      await proxy.close();
      await auditDb.destroy();
      const admin = new pg.Client({ connectionString: withDatabase(postgres.serverUrl, "postgres") });
      await admin.connect();
      try {
        await admin.query(`drop database if exists "${dbName}" with (force)`);
      } finally {
        await admin.end();
      }
      await postgres.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
  return env;
}
