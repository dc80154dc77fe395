import { z } from "zod";
import { createBalanceEvents, getCreditStanding, listLedger, type BalanceEvent } from "@animateimg/billing";
import { AppError } from "@animateimg/core";
import { eventsUntilAborted } from "@animateimg/generations";
import {
  defaultOffers,
  getBillingSummary,
  openBillingPortal,
  receiptUrlForLedgerEntry,
  startCheckout,
} from "@animateimg/payments";
import { createTRPCRouter, protectedProcedure, publicProcedure, verifiedProcedure, type TRPCContext } from "../trpc";

const ledgerEntrySchema = z.object({
  id: z.number().int(),
  kind: z.enum(["grant", "purchase", "reserve", "capture", "release", "refund", "adjust", "reversal"]),
  amount: z.number().int(),
  generationId: z.string().nullable(),
  reason: z.string().nullable(),
  /** Money rows only: the offer bought, the amount (minor units) and currency. */
  plan: z.string().nullable(),
  paymentAmount: z.number().int().nullable(),
  paymentCurrency: z.string().nullable(),
  hasReceipt: z.boolean(),
  createdAt: z.date(),
});

const offerSchema = z.object({
  id: z.string(),
  credits: z.number().int(),
  price: z.number().int(),
  currency: z.string(),
});
const standingSchema = z.object({ credits: z.number().int(), owed: z.number().int() });

function requireProcessor(ctx: Pick<TRPCContext, "payments">) {
  const payments = ctx.payments;
  if (!payments?.processor)
    throw new AppError("SERVICE_UNAVAILABLE", "Payments are not configured on this server.", {
      reason: "payments_not_configured",
    });
  return { ...payments, processor: payments.processor };
}

/** One LISTEN connection per process for every balance chip. */
const balanceEventsByUrl = new Map<string, ReturnType<typeof createBalanceEvents>>();

export const billingRouter = createTRPCRouter({
  /** Balance and what is owed after a refund or dispute of spent credits. */
  balance: protectedProcedure
    .input(z.void())
    .output(standingSchema)
    .query(async ({ ctx }) => {
      const standing = await getCreditStanding(ctx.db, ctx.session.user.id);
      return { credits: standing.available, owed: standing.owed };
    }),

  /** Live balance for the header chip: the current standing, then one per change (SSE). */
  onBalance: protectedProcedure.subscription(async function* ({ ctx, signal }) {
    const userId = ctx.session.user.id;
    const databaseUrl = ctx.payments?.databaseUrl;
    yield await getCreditStanding(ctx.db, userId).then((s) => ({ credits: s.available, owed: s.owed }));
    if (!databaseUrl) return;
    let events = balanceEventsByUrl.get(databaseUrl);
    if (!events) balanceEventsByUrl.set(databaseUrl, (events = createBalanceEvents({ databaseUrl })));
    const source = events;
    for await (const event of eventsUntilAborted<BalanceEvent>((push) => source.subscribe(userId, push), signal)) {
      void event;
      const standing = await getCreditStanding(ctx.db, userId);
      yield { credits: standing.available, owed: standing.owed };
    }
  }),

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
        plan: e.payment_plan,
        paymentAmount: e.payment_amount,
        paymentCurrency: e.payment_currency,
        hasReceipt:
          e.kind === "purchase" && e.payment_reference !== null && e.payment_processor === ctx.payments?.processor?.id,
        createdAt: e.created_at,
      }));
    }),

  /** Packs and plans, for /pricing (public). */
  offers: publicProcedure
    .input(z.void())
    .output(
      z.object({
        packs: z.array(offerSchema),
        plans: z.array(offerSchema.extend({ name: z.string(), interval: z.literal("month") })),
        paymentsEnabled: z.boolean(),
      }),
    )
    .query(({ ctx }) => {
      const offers = ctx.payments?.offers ?? defaultOffers;
      const strip = <T extends { creemProductId?: string }>({ creemProductId, ...rest }: T) => (
        void creemProductId,
        rest
      );
      return {
        packs: offers.packs.map(strip),
        plans: offers.plans.map(strip),
        paymentsEnabled: Boolean(ctx.payments?.processor),
      };
    }),

  /** A hosted checkout for one offer; the browser goes there. */
  checkout: verifiedProcedure
    .input(z.object({ offerId: z.string().min(1).max(64) }))
    .output(z.object({ url: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const payments = requireProcessor(ctx);
      return startCheckout(ctx.db, payments, {
        userId: ctx.session.user.id,
        email: ctx.session.user.email,
        offerId: input.offerId,
      });
    }),

  /** Plan, status and next renewal, for Settings. */
  summary: protectedProcedure
    .input(z.void())
    .output(
      z.object({
        processor: z.string().nullable(),
        subscription: z
          .object({
            planId: z.string(),
            status: z.string(),
            currentPeriodEnd: z.date().nullable(),
            cancelAtPeriodEnd: z.boolean(),
          })
          .nullable(),
        hasBillingAccount: z.boolean(),
      }),
    )
    .query(async ({ ctx }) =>
      getBillingSummary(ctx.db, {
        userId: ctx.session.user.id,
        ...(ctx.payments?.processor ? { processor: ctx.payments.processor } : {}),
      }),
    ),

  /** The processor's billing portal (change plan, cancel at period end, invoices). */
  portal: protectedProcedure
    .input(z.void())
    .output(z.object({ url: z.string() }))
    .mutation(async ({ ctx }) => openBillingPortal(ctx.db, requireProcessor(ctx), { userId: ctx.session.user.id })),

  /** Where the receipt of one of the caller's purchases is. */
  receipt: protectedProcedure
    .input(z.object({ ledgerId: z.number().int().positive() }))
    .output(z.object({ url: z.string() }))
    .mutation(async ({ ctx, input }) => ({
      url: await receiptUrlForLedgerEntry(ctx.db, requireProcessor(ctx), {
        userId: ctx.session.user.id,
        ledgerId: input.ledgerId,
      }),
    })),
});
