import { z } from "zod";
import type { Db } from "@animateimg/db";
import { createHealthMonitor, toPublicHealth, type HealthMonitor } from "../system/check-system-health";
import { adminProcedure, createTRPCRouter, publicProcedure, type TRPCContext } from "../trpc";

const componentState = z.enum(["healthy", "unhealthy"]);
const publicPart = z.object({ state: componentState, latencyMs: z.number().int().nonnegative() });
const componentHealth = publicPart.extend({ detail: z.string().nullable() });

export const systemHealthOutput = z.object({
  status: componentState,
  checkedAt: z.date(),
  postgres: componentHealth,
  temporal: componentHealth,
  worker: componentHealth.extend({ identity: z.string().nullable() }),
});

export const publicSystemHealthOutput = z.object({
  status: componentState,
  checkedAt: z.date(),
  postgres: publicPart,
  temporal: publicPart,
  worker: publicPart,
});

// One monitor per process and task queue (the deps, and so the pool, live as long as the process).
const monitors = new WeakMap<Db, Map<string, HealthMonitor>>();

function healthMonitorFor(ctx: TRPCContext): HealthMonitor {
  let byQueue = monitors.get(ctx.db);
  if (!byQueue) monitors.set(ctx.db, (byQueue = new Map<string, HealthMonitor>()));
  let monitor = byQueue.get(ctx.orchestrator.taskQueue);
  if (!monitor) {
    monitor = createHealthMonitor({
      db: ctx.db,
      orchestrator: ctx.orchestrator,
      temporalAddress: ctx.temporalAddress,
      ...(ctx.healthMaxAgeMs !== undefined ? { maxAgeMs: ctx.healthMaxAgeMs } : {}),
    });
    byQueue.set(ctx.orchestrator.taskQueue, monitor);
  }
  return monitor;
}

export const systemRouter = createTRPCRouter({
  /**
   * Public: whether each part is up and how fast, from a shared cached check (at most one
   * workflow round trip every few seconds, however many callers or batched calls). Reasons,
   * host names and process ids are for administrators (`healthDetails`).
   */
  health: publicProcedure
    .input(z.void())
    .output(publicSystemHealthOutput)
    .query(async ({ ctx }) => toPublicHealth(await healthMonitorFor(ctx).current())),

  /** Administrators: the same check with what is wrong and which worker answered. */
  healthDetails: adminProcedure
    .input(z.void())
    .output(systemHealthOutput)
    .query(({ ctx }) => healthMonitorFor(ctx).current()),
});
