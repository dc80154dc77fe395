import { z } from "zod";
import { checkSystemHealth } from "../system/check-system-health";
import { createTRPCRouter, publicProcedure } from "../trpc";

const componentHealth = z.object({
  state: z.enum(["healthy", "unhealthy"]),
  latencyMs: z.number().int().nonnegative(),
  detail: z.string().nullable(),
});

export const systemHealthOutput = z.object({
  status: z.enum(["healthy", "unhealthy"]),
  checkedAt: z.date(),
  postgres: componentHealth,
  temporal: componentHealth,
  worker: componentHealth.extend({ identity: z.string().nullable() }),
});

export const systemRouter = createTRPCRouter({
  /** Public: reveals no user data, only whether the parts of the app are up. */
  health: publicProcedure
    .input(z.void())
    .output(systemHealthOutput)
    .query(({ ctx }) =>
      checkSystemHealth({ db: ctx.db, getTemporalClient: ctx.getTemporalClient, taskQueue: ctx.taskQueue }),
    ),
});
