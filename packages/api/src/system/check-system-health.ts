import { randomUUID } from "node:crypto";
import { sql, type Db } from "@animateimg/db";
import type { Client } from "@temporalio/client";
import { healthCheckWorkflowId, workflowTypes } from "@animateimg/workflows/shared";
import type { healthCheckWorkflow } from "@animateimg/workflows/workflows";

export type ComponentState = "healthy" | "unhealthy";

export interface ComponentHealth {
  state: ComponentState;
  latencyMs: number;
  /** What a person would need to fix it, when unhealthy. */
  detail: string | null;
}

export interface SystemHealth {
  status: ComponentState;
  checkedAt: Date;
  postgres: ComponentHealth;
  temporal: ComponentHealth;
  worker: ComponentHealth & { identity: string | null };
}

export interface CheckSystemHealthOptions {
  db: Db;
  /** Lazily connects: a Temporal that is down must not stop the Postgres check. */
  getTemporalClient: () => Promise<Client>;
  taskQueue: string;
  /** The worker round-trip must finish within this. */
  timeoutMs?: number;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ok: true; value: T; ms: number } | { ok: false; error: unknown; ms: number }> {
  const started = performance.now();
  try {
    const value = await work();
    return { ok: true, value, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, error, ms: Math.round(performance.now() - started) };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Checks each part for real: a query on Postgres, a namespace lookup on Temporal, and a
 * workflow that must be picked up and run by a worker on the app's task queue.
 */
export async function checkSystemHealth(options: CheckSystemHealthOptions): Promise<SystemHealth> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const [postgres, temporalResult] = await Promise.all([
    timed(() => withTimeout(sql`select 1 as ok`.execute(options.db), timeoutMs, "Postgres")),
    timed(async () => {
      const client = await withTimeout(options.getTemporalClient(), timeoutMs, "Temporal");
      await withTimeout(
        client.workflowService.describeNamespace({ namespace: client.options.namespace }),
        timeoutMs,
        "Temporal",
      );
      return client;
    }),
  ]);

  let worker: SystemHealth["worker"];
  if (temporalResult.ok) {
    const client = temporalResult.value;
    const roundTrip = await timed(async () => {
      const handle = await client.workflow.start<typeof healthCheckWorkflow>(workflowTypes.healthCheck, {
        taskQueue: options.taskQueue,
        workflowId: healthCheckWorkflowId(randomUUID()),
        // The whole probe, including waiting for a worker to pick it up, is bounded.
        workflowExecutionTimeout: `${timeoutMs} ms`,
      });
      try {
        return await withTimeout(handle.result(), timeoutMs, `A worker on task queue "${options.taskQueue}"`);
      } catch (error) {
        await handle.terminate("health check timed out").catch(() => {});
        throw error;
      }
    });
    worker = roundTrip.ok
      ? { state: "healthy", latencyMs: roundTrip.ms, detail: null, identity: roundTrip.value.workerIdentity }
      : {
          state: "unhealthy",
          latencyMs: roundTrip.ms,
          detail: `${message(roundTrip.error)}. Is the worker running (pnpm --filter @animateimg/worker start)?`,
          identity: null,
        };
  } else {
    worker = { state: "unhealthy", latencyMs: 0, detail: "Temporal is unreachable, so no worker can be reached.", identity: null };
  }

  const parts = {
    postgres: postgres.ok
      ? { state: "healthy" as const, latencyMs: postgres.ms, detail: null }
      : { state: "unhealthy" as const, latencyMs: postgres.ms, detail: message(postgres.error) },
    temporal: temporalResult.ok
      ? { state: "healthy" as const, latencyMs: temporalResult.ms, detail: null }
      : { state: "unhealthy" as const, latencyMs: temporalResult.ms, detail: message(temporalResult.error) },
    worker,
  };
  const allHealthy = Object.values(parts).every((part) => part.state === "healthy");
  return { status: allHealthy ? "healthy" : "unhealthy", checkedAt: new Date(), ...parts };
}
