import { z } from "zod";
import { getBalance, listLedger } from "@animateimg/billing";
import { createTRPCRouter, protectedProcedure } from "../trpc";

const ledgerEntrySchema = z.object({
  id: z.number().int(),
  kind: z.enum(["grant", "purchase", "reserve", "capture", "release", "refund", "adjust"]),
  amount: z.number().int(),
  generationId: z.string().nullable(),
  reason: z.string().nullable(),
  createdAt: z.date(),
});

export const billingRouter = createTRPCRouter({
  balance: protectedProcedure
    .input(z.void())
    .output(z.object({ credits: z.number().int() }))
    .query(async ({ ctx }) => ({ credits: await getBalance(ctx.db, ctx.session.user.id) })),

  /** The caller's own ledger, newest first: every credit in and out, with its reason. */
  ledger: protectedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }))
    .output(z.array(ledgerEntrySchema))
    .query(async ({ ctx, input }) => {
      const entries = await listLedger(ctx.db, { userId: ctx.session.user.id, limit: input.limit });
      return entries.map((e) => ({
        id: e.id,
        kind: e.kind,
        amount: e.amount,
        generationId: e.generation_id,
        reason: e.reason,
        createdAt: e.created_at,
      }));
    }),
});
