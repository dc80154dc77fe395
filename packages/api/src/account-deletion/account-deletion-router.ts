import { z } from "zod";
import { cancelAccountDeletion, getAccountDeletionStatus, requestAccountDeletion } from "@animateimg/account-deletion";
import { createTRPCRouter, protectedProcedure } from "../trpc";
import { resolveAccountDeletion } from "./account-deletion-dependencies";

const reauthenticationSchema = z.discriminatedUnion("method", [
  z.object({ method: z.literal("password") }),
  z.object({ method: z.literal("recent_sign_in"), freshUntil: z.date().nullable() }),
]);

const common = { reauthentication: reauthenticationSchema, gracePeriodMs: z.number().int() };

export const accountDeletionStatusSchema = z.discriminatedUnion("state", [
  z.object({ state: z.literal("none"), ...common }),
  z.object({
    state: z.literal("scheduled"),
    eraseAfter: z.date(),
    requestedAt: z.date(),
    reason: z.enum(["self_service", "child_report"]),
    ...common,
  }),
  z.object({ state: z.literal("erasing"), ...common }),
]);

export const accountDeletionRouter = createTRPCRouter({
  /** Whether a deletion is scheduled (and for when), and how the person confirms one. */
  status: protectedProcedure
    .input(z.void())
    .output(accountDeletionStatusSchema)
    .query(({ ctx }) =>
      getAccountDeletionStatus(ctx.db, {
        userId: ctx.session.user.id,
        sessionId: ctx.session.id,
        settings: resolveAccountDeletion(ctx).settings,
      }),
    ),

  /** Schedules the caller's own account for deletion after the grace period. */
  request: protectedProcedure
    .input(
      z.object({
        password: z.string().max(256).optional(),
        confirm: z.literal(true, { message: "Tick the box to confirm that you want your account deleted." }),
      }),
    )
    .output(accountDeletionStatusSchema)
    .mutation(({ ctx, input }) => {
      const { settings, scheduler } = resolveAccountDeletion(ctx);
      return requestAccountDeletion(
        ctx.db,
        { scheduler },
        {
          userId: ctx.session.user.id,
          sessionId: ctx.session.id,
          ...(input.password ? { password: input.password } : {}),
          settings,
        },
      );
    }),

  /** Cancels a scheduled deletion during its grace period. */
  cancel: protectedProcedure
    .input(z.void())
    .output(z.object({ canceled: z.literal(true) }))
    .mutation(async ({ ctx }) => {
      await cancelAccountDeletion(
        ctx.db,
        { scheduler: resolveAccountDeletion(ctx).scheduler },
        { userId: ctx.session.user.id },
      );
      return { canceled: true as const };
    }),
});
