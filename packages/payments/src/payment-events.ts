// Webhook events, each stored once (unique per processor and event id), and applied once by
// the payment-event workflow from the object's current state at the processor.
import { findPurchase, recordPurchase, reinstateDisputedCredits, reversePurchase } from "@animateimg/billing";
import type { Database, Db, PaymentProcessorId, Transaction } from "@animateimg/db";
import { findOffer, type Offers } from "./offers";
import { findUserIdByCustomer } from "./payment-customers";
import type { PaymentFacts, PaymentProcessor, VerifiedPaymentEvent } from "./processor";

/** What applying an event did: a code, never prose (the admin page and logs show it). */
export type PaymentEventOutcome =
  | "granted"
  | "already_granted"
  | "not_paid"
  | "subscription_updated"
  | "taken_back"
  | "dispute_won"
  | "unknown_customer"
  | "unknown_offer"
  | "unknown_payment"
  | "unknown_event"
  | "ignored";

/** Stores a verified event once. `stored: false` means it was already there (a duplicate delivery). */
export async function recordPaymentEvent(
  db: Db,
  options: { processor: PaymentProcessorId; event: VerifiedPaymentEvent },
): Promise<{ stored: boolean }> {
  const inserted = await db
    .insertInto("payment_events")
    .values({
      processor: options.processor,
      event_id: options.event.eventId,
      type: options.event.type,
      object_id: options.event.objectId,
    })
    .onConflict((oc) => oc.columns(["processor", "event_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return { stored: inserted !== undefined };
}

export async function getPaymentEvent(db: Db, options: { processor: PaymentProcessorId; eventId: string }) {
  return db
    .selectFrom("payment_events")
    .selectAll()
    .where("processor", "=", options.processor)
    .where("event_id", "=", options.eventId)
    .executeTakeFirst();
}

/** Events not applied after `olderThan`, or applied with an outcome that needs a person (unknown customer…). */
export async function listPaymentEventsNeedingAttention(db: Db, options: { limit?: number } = {}) {
  return db
    .selectFrom("payment_events")
    .selectAll()
    .where((eb) =>
      eb.or([
        eb("applied_at", "is", null),
        eb("outcome", "in", ["unknown_customer", "unknown_offer", "unknown_payment"]),
      ]),
    )
    .orderBy("id", "desc")
    .limit(options.limit ?? 50)
    .execute();
}

async function resolveUserId(
  trx: Transaction<Database>,
  processor: PaymentProcessorId,
  facts: { customerId: string | null; userId: string | null },
) {
  if (facts.customerId) {
    const known = await findUserIdByCustomer(trx, { processor, customerId: facts.customerId });
    if (known) return known;
  }
  // Our own metadata on the checkout (signed webhook, object fetched from the processor).
  if (facts.userId && /^[0-9a-f-]{36}$/i.test(facts.userId)) {
    const user = await trx.selectFrom("users").select("id").where("id", "=", facts.userId).executeTakeFirst();
    if (user) {
      if (facts.customerId) {
        await trx
          .insertInto("payment_customers")
          .values({ user_id: user.id, processor, customer_id: facts.customerId })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      return user.id;
    }
  }
  return undefined;
}

async function applyFacts(
  trx: Transaction<Database>,
  processor: PaymentProcessorId,
  offers: Offers,
  facts: PaymentFacts,
): Promise<{ outcome: PaymentEventOutcome; userId?: string }> {
  switch (facts.kind) {
    case "ignored":
      return { outcome: "ignored" };
    case "pack_not_paid":
    case "period_not_paid":
      return { outcome: "not_paid" };
    case "pack_paid":
    case "period_paid": {
      const userId = await resolveUserId(trx, processor, facts);
      if (!userId) return { outcome: "unknown_customer" };
      const offerId = facts.kind === "pack_paid" ? facts.offerId : facts.planId;
      const offer = offerId ? findOffer(offers, offerId) : undefined;
      const credits =
        facts.kind === "pack_paid"
          ? (facts.credits ?? offer?.credits)
          : offer?.kind === "plan"
            ? offer.credits
            : undefined;
      if (!offerId || !credits) return { outcome: "unknown_offer", userId };
      const { created } = await recordPurchase(trx, {
        userId,
        credits,
        processor,
        reference: facts.reference,
        amount: facts.amount,
        currency: facts.currency,
        plan: offerId,
        idempotencyKey: `payment:${processor}:${facts.reference}`,
      });
      return { outcome: created ? "granted" : "already_granted", userId };
    }
    case "subscription": {
      const userId = await resolveUserId(trx, processor, facts);
      if (!userId) return { outcome: "unknown_customer" };
      if (!facts.planId || findOffer(offers, facts.planId)?.kind !== "plan")
        return { outcome: "unknown_offer", userId };
      await trx
        .insertInto("payment_subscriptions")
        .values({
          processor,
          subscription_id: facts.subscriptionId,
          user_id: userId,
          plan_id: facts.planId,
          status: facts.status,
          current_period_end: facts.currentPeriodEnd,
          cancel_at_period_end: facts.cancelAtPeriodEnd,
        })
        .onConflict((oc) =>
          oc
            .columns(["processor", "subscription_id"])
            .doUpdateSet({
              plan_id: facts.planId!,
              status: facts.status,
              current_period_end: facts.currentPeriodEnd,
              cancel_at_period_end: facts.cancelAtPeriodEnd,
              updated_at: new Date(),
            })
            // Canceled is terminal at both processors: an event delivered late (an "updated" sent
            // before the cancel) must not bring a subscription back to life here.
            .where("payment_subscriptions.status", "!=", "canceled"),
        )
        .execute();
      return { outcome: "subscription_updated", userId };
    }
    case "taken_back": {
      const purchase = await findPurchase(trx, { processor, reference: facts.reference });
      if (!purchase) {
        const userId = facts.customerId
          ? await findUserIdByCustomer(trx, { processor, customerId: facts.customerId })
          : undefined;
        return { outcome: userId ? "unknown_payment" : "unknown_customer", ...(userId ? { userId } : {}) };
      }
      // The account was deleted (its ledger rows are anonymous): no balance is left to take the
      // credits from; the refund stands as the processor's record.
      if (purchase.user_id === null) return { outcome: "unknown_customer" };
      await reversePurchase(trx, {
        userId: purchase.user_id,
        processor,
        reference: facts.reference,
        fractionTakenBack: facts.fraction,
        cause: facts.cause,
      });
      return { outcome: "taken_back", userId: purchase.user_id };
    }
    case "dispute_won": {
      const purchase = await findPurchase(trx, { processor, reference: facts.reference });
      if (!purchase) {
        const userId = facts.customerId
          ? await findUserIdByCustomer(trx, { processor, customerId: facts.customerId })
          : undefined;
        return { outcome: userId ? "unknown_payment" : "unknown_customer", ...(userId ? { userId } : {}) };
      }
      // The account was deleted: there is no balance to give the credits back to.
      if (purchase.user_id === null) return { outcome: "unknown_customer" };
      await reinstateDisputedCredits(trx, { userId: purchase.user_id, processor, reference: facts.reference });
      return { outcome: "dispute_won", userId: purchase.user_id };
    }
  }
}

/**
 * Applies one stored event: fetches the object's current state from the processor, then in one
 * transaction changes the ledger (idempotent keys: a retry after a crash grants nothing twice)
 * and marks the event applied with its outcome. An event applied before returns its outcome.
 */
export async function applyPaymentEvent(
  db: Db,
  deps: { processor: PaymentProcessor; offers: Offers },
  options: { eventId: string },
): Promise<PaymentEventOutcome> {
  const processor = deps.processor.id;
  const event = await getPaymentEvent(db, { processor, eventId: options.eventId });
  if (!event) return "unknown_event";
  if (event.applied_at && event.outcome) return event.outcome as PaymentEventOutcome;
  const facts = await deps.processor.currentFacts({ type: event.type, objectId: event.object_id });
  return db.transaction().execute(async (trx) => {
    // Lock the event row: two runs of the same event (never expected) apply it once.
    const locked = await trx
      .selectFrom("payment_events")
      .select(["applied_at", "outcome"])
      .where("id", "=", event.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (locked.applied_at && locked.outcome) return locked.outcome as PaymentEventOutcome;
    const { outcome, userId } = await applyFacts(trx, processor, deps.offers, facts);
    await trx
      .updateTable("payment_events")
      .set({ applied_at: new Date(), outcome, user_id: userId ?? null })
      .where("id", "=", event.id)
      .execute();
    return outcome;
  });
}
