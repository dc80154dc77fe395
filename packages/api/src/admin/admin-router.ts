import { z } from "zod";
import { adjustCredits, getBalance, grantCredits } from "@animateimg/billing";
import { findUserIdByEmail } from "@animateimg/auth";
import { providerIds, providerOperatorLabel } from "@animateimg/catalog";
import { AppError } from "@animateimg/core";
import type { Executor } from "@animateimg/db";
import { getProviderHealth } from "@animateimg/generations";
import { requestChildAccountDeletion } from "@animateimg/account-deletion";
import { resolveAccountDeletion } from "../account-deletion/account-deletion-dependencies";
import { adminProcedure, createTRPCRouter } from "../trpc";

const providerHealthSchema = z.object({
  provider: z.string(),
  /** How the admin pages name the provider. */
  label: z.string(),
  enabled: z.boolean(),
  attempts: z.number().int(),
  succeeded: z.number().int(),
  successRate: z.number().nullable(),
  p50LatencyMs: z.number().nullable(),
  p95LatencyMs: z.number().nullable(),
  circuit: z.object({
    state: z.enum(["closed", "open", "half_open"]),
    failureRate: z.number(),
    samples: z.number().int(),
    retryAt: z.number().optional(),
  }),
  recentErrors: z.array(
    z.object({ at: z.date(), kind: z.string(), message: z.string().nullable(), generationId: z.string() }),
  ),
});

const creditChangeInput = z.object({
  email: z.email({ message: "Enter the user's email address." }),
  amount: z.number().int(),
  reason: z.string().trim().min(3, { message: "Say why (at least 3 characters)." }).max(500),
  /** One per submitted form, so a double click grants once. */
  idempotencyKey: z.string().min(8).max(100),
});

async function userIdByEmail(db: Executor, email: string): Promise<string> {
  const userId = await findUserIdByEmail(db, email);
  if (!userId)
    throw new AppError("NOT_FOUND", `No account uses ${email}.`, { reason: "no_account_uses", params: { email } });
  return userId;
}

export const adminRouter = createTRPCRouter({
  /** Per route: success rate, latency, circuit state and recent errors over the window. */
  providerHealth: adminProcedure
    .input(
      z.object({
        windowHours: z
          .number()
          .int()
          .min(1)
          .max(24 * 30)
          .default(24),
      }),
    )
    .output(z.array(providerHealthSchema))
    .query(async ({ ctx, input }) => {
      const rows = await getProviderHealth(ctx.db, {
        providers: [...providerIds],
        enabled: ctx.generations?.enabledProviders ?? new Set(),
        windowMs: input.windowHours * 3600_000,
      });
      return rows.map((row) => ({ ...row, label: providerOperatorLabel(row.provider) }));
    }),

  grantCredits: adminProcedure
    .input(creditChangeInput.refine((v) => v.amount > 0, { message: "A grant must be positive.", path: ["amount"] }))
    .output(z.object({ balance: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      const userId = await userIdByEmail(ctx.db, input.email);
      await grantCredits(ctx.db, {
        userId,
        amount: input.amount,
        kind: "grant",
        reason: input.reason,
        actorUserId: ctx.session.user.id,
        idempotencyKey: `admin:${input.idempotencyKey}`,
      });
      return { balance: await getBalance(ctx.db, userId) };
    }),

  adjustCredits: adminProcedure
    .input(
      creditChangeInput.refine((v) => v.amount !== 0, { message: "An adjustment cannot be zero.", path: ["amount"] }),
    )
    .output(z.object({ balance: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      const userId = await userIdByEmail(ctx.db, input.email);
      await adjustCredits(ctx.db, {
        userId,
        amount: input.amount,
        reason: input.reason,
        actorUserId: ctx.session.user.id,
        idempotencyKey: `admin:${input.idempotencyKey}`,
      });
      return { balance: await getBalance(ctx.db, userId) };
    }),

  /**
   * An account reported as belonging to a child under 13: the same deletion workflow, started
   * now, with no grace period (the privacy policy promises to delete it).
   */
  deleteChildAccount: adminProcedure
    .input(
      z.object({
        email: z.email({ message: "Enter the email address of the reported account." }),
        confirm: z.literal(true, { message: "Tick the box to confirm the account is to be deleted now." }),
      }),
    )
    .output(z.object({ userId: z.string(), eraseAfter: z.date() }))
    .mutation(({ ctx, input }) =>
      requestChildAccountDeletion(
        ctx.db,
        { scheduler: resolveAccountDeletion(ctx).scheduler },
        { adminUserId: ctx.session.user.id, email: input.email },
      ),
    ),
});
