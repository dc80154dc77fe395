import { createRequire } from "node:module";
import { availableParallelism, hostname } from "node:os";
import { providerLimits } from "@animateimg/providers";
import { Client } from "@temporalio/client";
import {
  bundleWorkflowCode,
  NativeConnection,
  Runtime,
  Worker,
  type State,
  type WorkflowBundleWithSourceMap,
} from "@temporalio/worker";
import { nativeConnectionOptions, type TemporalConnectionSettings } from "./connection-settings";
import { dataConverterFor } from "./payload-codec";
import { applicationSchedules, ensureSchedules, type ScheduleContext } from "./schedules";
import { ensureSearchAttributes } from "./search-attribute-registration";
import { localRenderTaskQueue, providerTaskQueue, type GenerationTimeouts } from "./shared";
import { generationLogAttributes } from "./worker-logging";
import { allWorkerRoles, selectedProviders, type WorkerRoleSelection } from "./worker-roles";

/**
 * Per-provider limits the worker enforces, from each provider's registration (its documented
 * limits and their sources): `perSecond` limits activity starts on the whole task queue (across
 * every worker process: Temporal's server applies it); `concurrentJobs` bounds jobs in flight
 * in this process (an attempt holds one slot from submit until its job ends).
 */
export const providerWorkerLimits: Record<string, { perSecond: number; concurrentJobs: number }> = Object.fromEntries(
  Object.entries(providerLimits).map(([provider, { perSecond, concurrentJobs }]) => [
    provider,
    { perSecond, concurrentJobs },
  ]),
);
import { createActivities, type ActivityDependencies } from "./activities";

const require = createRequire(import.meta.url);

/** Path of the file the worker bundles: every workflow type lives behind it. */
export const workflowsPath = require.resolve("./workflows/index.ts");

/**
 * Bundles the workflow code (today's, unless another entry is given). `pnpm build:worker` writes
 * it to the file production workers load; a development worker calls this at start-up; tests
 * call it in their global setup and share the result, since bundling takes seconds.
 */
export async function bundleWorkflows(entry: string = workflowsPath): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: entry, logger: quietBundlerLogger });
}

/**
 * Test-only entries standing in for a deploy of changed workflow code (upgrade-variants/):
 * the change behind patched(), and the same change without it.
 */
export const workflowVariantPaths = {
  nextRelease: require.resolve("./workflows/upgrade-variants/next-release.ts"),
  nextReleaseUnpatched: require.resolve("./workflows/upgrade-variants/next-release-unpatched.ts"),
};

// Bundler warnings and errors go to the Runtime's logger (pino in the worker process).
const quietBundlerLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => void Runtime.instance().logger.warn(message, { sdkComponent: "worker" }),
  error: (message: string) => void Runtime.instance().logger.error(message, { sdkComponent: "worker" }),
};

export interface CreateWorkerOptions extends TemporalConnectionSettings {
  taskQueue: string;
  deps: Omit<ActivityDependencies, "workerIdentity" | "temporal">;
  identity?: string;
  /** How many engine renders may run at once in this process (default: one per core). */
  renderSlots?: number;
  /** Overrides of providerWorkerLimits (tests, contracts with higher limits). */
  providerLimits?: Record<string, Partial<{ perSecond: number; concurrentJobs: number }>>;
  /** A prebuilt bundle (tests, production); bundled from source when omitted (and only when this process has the main role). */
  workflowBundle?: WorkflowBundleWithSourceMap | { codePath: string };
  /** Which task queues this process polls (worker-roles.ts); default every one. */
  roles?: WorkerRoleSelection;
  /**
   * Create or update the application's Temporal Schedules (the reconciler…) at start. The
   * worker process does; tests that do not exercise schedules leave it off. Only a process
   * with the main role registers them (the schedules start workflows on the main queue).
   */
  registerSchedules?: boolean | Omit<ScheduleContext, "taskQueue">;
  /** Timeouts of generation workflows this worker (re)starts itself (the reconciler); tests shorten them. */
  generationTimeouts?: GenerationTimeouts;
  /** How many workflows this process keeps in memory between their tasks (default defaultWorkflowCacheSize). */
  workflowCacheSize?: number;
}

/**
 * Workflows kept in memory between their tasks (Temporal's sticky cache, `maxCachedWorkflows`).
 * The SDK's default grows with the heap limit (about 2,300 on a 4 GB heap), so a worker with a
 * thousand generations waiting at providers kept every one of them in memory. A cached workflow
 * saves a replay only when it gets its next task, and a generation waiting at a provider gets
 * none: its wait is one activity (or a timer), and a heartbeat is not a workflow task. When its
 * job ends it is replayed from a history of a few dozen events, a few milliseconds. So the cache
 * is sized for the workflows that are moving at once (starts, bookkeeping steps, renders
 * finishing), not for everything in flight; eviction is least recently used.
 */
export const defaultWorkflowCacheSize = 200;

/**
 * Node flags a worker process starts with (apps/worker's scripts and image set the same through
 * NODE_OPTIONS; the bench's worker processes pass these). V8 sizes its heap for a 4 GB limit and
 * lets it grow long before it collects: a worker with 1,000 generations at a provider reached
 * 0.9 GB, almost all of it garbage, while the same run under a 320 MB old space peaked at 475 MB
 * RSS and finished. What a worker keeps alive is bounded by configuration (the workflow cache
 * above, each queue's activity slots), and media stay out of the JS heap (ffmpeg, files, streamed
 * Buffers), so a bounded heap is safe; an operator who opens slots far wider raises it with
 * NODE_OPTIONS. A small young generation (2 MB semi-spaces instead of 16) trims the rest.
 */
export const workerNodeFlags = ["--max-old-space-size=320", "--max-semi-space-size=2"] as const;

export function defaultWorkerIdentity(): string {
  return `worker@${hostname()}:${process.pid}`;
}

/** The workers of one process, run and stopped together. */
export interface WorkerGroup {
  run(): Promise<void>;
  shutdown(): void;
  getState(): State;
  /** The task queues this process polls (its roles). */
  taskQueues: string[];
}

/**
 * Connects and builds this process's workers, as its roles select: the main one (every
 * workflow, bookkeeping activities), the local-render one, whose slots bound how many engine
 * renders run at once, and one per enabled provider with that provider's limits. The caller
 * runs and shuts them down.
 */
export async function createWorker(
  options: CreateWorkerOptions,
): Promise<{ worker: WorkerGroup; connection: NativeConnection }> {
  const identity = options.identity ?? defaultWorkerIdentity();
  const connection = await NativeConnection.connect(nativeConnectionOptions(options));
  try {
    // Every payload this process writes is encrypted when keys are configured (payload-codec.ts).
    const converter = dataConverterFor(options.payloadKeys);
    const client = new Client({ connection, namespace: options.namespace, ...converter });
    // Before any generation workflow runs here: its task would fail on an unknown attribute.
    await ensureSearchAttributes(connection, options.namespace);
    const activities = createActivities({
      ...options.deps,
      workerIdentity: identity,
      temporal: {
        client,
        taskQueue: options.taskQueue,
        ...(options.generationTimeouts ? { generationTimeouts: options.generationTimeouts } : {}),
      },
    });
    const roles = options.roles ?? allWorkerRoles;
    const providers = selectedProviders(roles, options.deps.providers.enabled);
    if ("error" in providers) throw new Error(providers.error);
    if (options.registerSchedules && roles.main) {
      const context = options.registerSchedules === true ? {} : options.registerSchedules;
      await ensureSchedules(
        client,
        options.taskQueue,
        applicationSchedules({ taskQueue: options.taskQueue, ...context }),
      );
    }
    // Every activity's log lines name its generation (Temporal adds workflow id, type, attempt).
    const interceptors = { activity: [generationLogAttributes] };
    const workers: Worker[] = [];
    if (roles.main) {
      workers.push(
        await Worker.create({
          connection,
          namespace: options.namespace,
          taskQueue: options.taskQueue,
          identity,
          ...converter,
          interceptors,
          activities,
          workflowBundle: options.workflowBundle ?? (await bundleWorkflows()),
          maxCachedWorkflows: options.workflowCacheSize ?? defaultWorkflowCacheSize,
          // One V8 context for every workflow (the SDK's default, stated because the cache size
          // above assumes it): each cached workflow costs its own module instances and state,
          // not a context of its own. Workflow files import only light modules for that reason
          // (see generation.ts's catalog import).
          reuseV8Context: true,
          // At most as many tasks at once as the cache holds (the SDK requires it); 40 is its default.
          maxConcurrentWorkflowTaskExecutions: Math.min(40, options.workflowCacheSize ?? defaultWorkflowCacheSize),
        }),
      );
    }
    if (roles.render) {
      workers.push(
        await Worker.create({
          connection,
          namespace: options.namespace,
          taskQueue: localRenderTaskQueue(options.taskQueue),
          identity: `${identity}/render`,
          ...converter,
          interceptors,
          activities: { renderWithAnimateEngine: activities.renderWithAnimateEngine.bind(activities) },
          maxConcurrentActivityTaskExecutions: options.renderSlots ?? availableParallelism(),
        }),
      );
    }
    for (const provider of providers) {
      const limits = {
        ...(providerWorkerLimits[provider] ?? { perSecond: 1, concurrentJobs: 5 }),
        ...options.providerLimits?.[provider],
      };
      workers.push(
        await Worker.create({
          connection,
          namespace: options.namespace,
          taskQueue: providerTaskQueue(options.taskQueue, provider),
          identity: `${identity}/${provider}`,
          ...converter,
          interceptors,
          activities: { runAtProvider: activities.runAtProvider.bind(activities) },
          maxConcurrentActivityTaskExecutions: limits.concurrentJobs,
          maxTaskQueueActivitiesPerSecond: limits.perSecond,
        }),
      );
    }
    // A process that polls nothing would look healthy while doing no work.
    if (workers.length === 0)
      throw new Error(
        "this worker process has no task queue to poll (WORKER_ROLES selects none, or the providers role with no provider enabled)",
      );
    return {
      connection,
      worker: {
        run: async () => {
          // If one stops (fatal error), stop the other: never half a worker.
          await Promise.all(
            workers.map((w) =>
              w.run().finally(() => {
                for (const other of workers) if (other.getState() === "RUNNING") other.shutdown();
              }),
            ),
          );
        },
        shutdown: () => {
          for (const w of workers) if (w.getState() === "RUNNING") w.shutdown();
        },
        // The first worker stands for the group: run() stops all of them together.
        getState: () => workers[0]!.getState(),
        taskQueues: workers.map((w) => w.options.taskQueue),
      },
    };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
