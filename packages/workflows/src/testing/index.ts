import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { renderAnimation } from "@animateimg/animate-engine";
import { createLocalEncryptedStore, type BlobStore } from "@animateimg/storage";
import { createProviderRegistry } from "@animateimg/providers";
import { Client, Connection } from "@temporalio/client";
import { DefaultLogger, Runtime } from "@temporalio/worker";
import { inject } from "vitest";
import type { Db } from "@animateimg/db";
import type { ActivityDependencies } from "../activities";
import { dataConverterFor } from "../payload-codec";
import { createWorker, type CreateWorkerOptions, type WorkerGroup } from "../worker";
import { testPayloadKeys } from "./test-payload-keys";

export { testPayloadKeys };

declare module "vitest" {
  export interface ProvidedContext {
    /** host:port of the run's Temporal dev server. */
    temporalAddress: string;
    /** The workflow bundle, built once per run by the global setup. */
    workflowBundlePath: string;
  }
}

// Worker state changes and expected activity failures (injected faults) drown test output;
// errors still show.
let runtimeInstalled = false;
function installQuietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger("ERROR") });
  } catch {
    // Already installed by an earlier worker in this process.
  }
}

/** An encrypted local blob store in a fresh temp folder, with a random key. */
export function createTestBlobStore(): BlobStore {
  const root = mkdtempSync(path.join(tmpdir(), "animateimg-blobs-"));
  return createLocalEncryptedStore({ root, keys: new Map([["test", randomBytes(32)]]), activeKeyId: "test" });
}

export type TestActivityOverrides = Partial<Omit<ActivityDependencies, "db" | "workerIdentity">>;

/** Real dependencies for a test worker: encrypted temp storage, the real engine, no remote providers. */
export function testActivityDependencies(
  overrides: TestActivityOverrides = {},
): Omit<ActivityDependencies, "db" | "workerIdentity"> {
  return {
    blobStore: overrides.blobStore ?? createTestBlobStore(),
    // The engine validates its parameters itself (animateParamsSchema).
    renderAnimation: overrides.renderAnimation ?? renderAnimation,
    scratchDir: overrides.scratchDir ?? mkdtempSync(path.join(tmpdir(), "animateimg-scratch-")),
    providers: overrides.providers ?? createProviderRegistry({}),
    // The local engine never hands media to anyone; provider tests pass a reachable one.
    mediaUrlFor: overrides.mediaUrlFor ?? ((key) => `http://127.0.0.1:9/unreachable/${key}`),
    ...overrides,
  };
}

export interface TestWorker {
  worker: WorkerGroup;
  client: Client;
  taskQueue: string;
  /** Stops the worker and closes both connections. */
  shutdown(): Promise<void>;
}

/**
 * Runs a real worker, with the real workflows and activities, on a task queue of this test's
 * own (so files running in parallel never steal each other's tasks).
 */
export async function startTestWorker({
  db,
  identity,
  taskQueue: givenTaskQueue,
  deps,
  providerLimits,
  registerSchedules,
  roles,
  workflowBundle,
  renderSlots,
}: {
  db: Db;
  identity?: string;
  /** Join an existing queue (e.g. to take over from a killed worker). */
  taskQueue?: string;
  deps?: TestActivityOverrides;
  /** Per-provider worker limits (see providerWorkerLimits). */
  providerLimits?: Record<string, Partial<{ perSecond: number; concurrentJobs: number }>>;
  /** Register the application's schedules (the reconciler) for this worker's queue. */
  registerSchedules?: CreateWorkerOptions["registerSchedules"];
  /** Only these task queues (default every one). */
  roles?: CreateWorkerOptions["roles"];
  /** Another bundle than the run's (e.g. a next-release variant). */
  workflowBundle?: { codePath: string };
  /** Engine renders at once (default one per core). */
  renderSlots?: number;
}): Promise<TestWorker> {
  installQuietRuntime();
  const address = inject("temporalAddress");
  const taskQueue = givenTaskQueue ?? `test-${randomBytes(6).toString("hex")}`;
  const { worker, connection: workerConnection } = await createWorker({
    address,
    namespace: "default",
    taskQueue,
    deps: { db, ...testActivityDependencies(deps) },
    identity: identity ?? `test-worker-${taskQueue}`,
    payloadKeys: testPayloadKeys,
    workflowBundle: workflowBundle ?? { codePath: inject("workflowBundlePath") },
    ...(roles ? { roles } : {}),
    ...(renderSlots ? { renderSlots } : {}),
    ...(providerLimits ? { providerLimits } : {}),
    ...(registerSchedules ? { registerSchedules } : {}),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: "default", ...dataConverterFor(testPayloadKeys) });
  return {
    worker,
    client,
    taskQueue,
    shutdown: async () => {
      if (worker.getState() === "RUNNING") worker.shutdown();
      await running;
      await workerConnection.close();
      await connection.close();
    },
  };
}

/** A Temporal client for tests that need no worker (or run one elsewhere). */
export async function connectTestClient(): Promise<{ client: Client; close(): Promise<void> }> {
  const connection = await Connection.connect({ address: inject("temporalAddress") });
  return {
    client: new Client({ connection, namespace: "default", ...dataConverterFor(testPayloadKeys) }),
    close: () => connection.close(),
  };
}

export { taskQueuePollers, type TaskQueuePollers } from "./task-queue-pollers";
export { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from "./webhook-receiver";
