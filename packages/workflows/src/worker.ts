import { createRequire } from "node:module";
import { hostname } from "node:os";
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from "@temporalio/worker";
import { createActivities, type ActivityDependencies } from "./activities";

const require = createRequire(import.meta.url);

/** Path of the file the worker bundles: every workflow type lives behind it. */
export const workflowsPath = require.resolve("./workflows/index.ts");

/**
 * Bundles the workflow code once. The worker process calls this at start-up; tests call it in
 * their global setup and share the result, since bundling takes seconds.
 */
export async function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
}

const quietBundlerLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

export interface CreateWorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  deps: Omit<ActivityDependencies, "workerIdentity">;
  identity?: string;
  /** A prebuilt bundle (tests, production); bundled from source when omitted. */
  workflowBundle?: WorkflowBundleWithSourceMap | { codePath: string };
}

export function defaultWorkerIdentity(): string {
  return `worker@${hostname()}:${process.pid}`;
}

/** Connects and builds a worker with every workflow and activity. The caller runs and shuts it down. */
export async function createWorker(options: CreateWorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  const identity = options.identity ?? defaultWorkerIdentity();
  const connection = await NativeConnection.connect({ address: options.address });
  try {
    const worker = await Worker.create({
      connection,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      identity,
      activities: createActivities({ ...options.deps, workerIdentity: identity }),
      workflowBundle: options.workflowBundle ?? (await bundleWorkflows()),
    });
    return { worker, connection };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
