import { randomBytes } from "node:crypto";
import { Client, Connection } from "@temporalio/client";
import { DefaultLogger, Runtime, type Worker } from "@temporalio/worker";
import { inject } from "vitest";
import type { Db } from "@animateimg/db";
import { createWorker } from "../worker";

declare module "vitest" {
  export interface ProvidedContext {
    /** host:port of the run's Temporal dev server. */
    temporalAddress: string;
    /** The workflow bundle, built once per run by the global setup. */
    workflowBundlePath: string;
  }
}

// Worker state changes at INFO drown test output; warnings and errors still show.
let runtimeInstalled = false;
function installQuietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger("WARN") });
  } catch {
    // Already installed by an earlier worker in this process.
  }
}

export interface TestWorker {
  worker: Worker;
  client: Client;
  taskQueue: string;
  /** Stops the worker and closes both connections. */
  shutdown(): Promise<void>;
}

/**
 * Runs a real worker, with the real workflows and activities, on a task queue of this test's
 * own (so files running in parallel never steal each other's tasks).
 */
export async function startTestWorker({ db, identity }: { db: Db; identity?: string }): Promise<TestWorker> {
  installQuietRuntime();
  const address = inject("temporalAddress");
  const taskQueue = `test-${randomBytes(6).toString("hex")}`;
  const { worker, connection: workerConnection } = await createWorker({
    address,
    namespace: "default",
    taskQueue,
    deps: { db },
    identity: identity ?? `test-worker-${taskQueue}`,
    workflowBundle: { codePath: inject("workflowBundlePath") },
  });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: "default" });
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
  return { client: new Client({ connection, namespace: "default" }), close: () => connection.close() };
}
