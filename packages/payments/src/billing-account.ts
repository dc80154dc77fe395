// What the signed-in user does with billing: start a checkout, see their plan, open the
// billing portal, open a receipt. Each takes the db first and the processor explicitly.
import { AppError } from "@animateimg/core";
import type { Db } from "@animateimg/db";
import { findOffer, type Offers } from "./offers";
import { ensurePaymentCustomer, findCustomerId } from "./payment-customers";
import type { PaymentProcessor } from "./processor";

const liveStatuses = ["active", "trialing", "past_due", "unpaid", "incomplete"];

export async function startCheckout(
  db: Db,
  deps: { processor: PaymentProcessor; offers: Offers; appUrl: string },
  options: { userId: string; email: string; offerId: string },
): Promise<{ url: string }> {
  const offer = findOffer(deps.offers, options.offerId);
  if (!offer) throw new AppError("NOT_FOUND", "That offer does not exist.", { reason: "unknown_offer" });
  if (offer.kind === "plan") {
    const current = await getBillingSummary(db, { userId: options.userId });
    if (current.subscription) {
      throw new AppError("CONFLICT", "You already have a plan. Change it from Manage billing in Settings.", {
        reason: "already_subscribed",
      });
    }
  }
  const customerId = await ensurePaymentCustomer(db, deps.processor, { userId: options.userId, email: options.email });
  const { url } = await deps.processor.createCheckout({
    offer,
    userId: options.userId,
    email: options.email,
    customerId,
    successUrl: `${deps.appUrl}/settings?section=billing&checkout=success`,
    cancelUrl: `${deps.appUrl}/pricing?checkout=canceled`,
  });
  return { url };
}

export interface BillingSummary {
  processor: string | null;
  /** The live subscription, if any. */
  subscription: {
    planId: string;
    status: string;
    currentPeriodEnd: Date | null;
    cancelAtPeriodEnd: boolean;
  } | null;
  /** True when the user has a customer at the processor (so the billing portal can open). */
  hasBillingAccount: boolean;
}

export async function getBillingSummary(
  db: Db,
  options: { userId: string; processor?: PaymentProcessor },
): Promise<BillingSummary> {
  const subscription = await db
    .selectFrom("payment_subscriptions")
    .select(["plan_id", "status", "current_period_end", "cancel_at_period_end", "processor"])
    .where("user_id", "=", options.userId)
    .where("status", "in", liveStatuses)
    .orderBy("updated_at", "desc")
    .executeTakeFirst();
  const customer = options.processor
    ? await findCustomerId(db, { processor: options.processor.id, userId: options.userId })
    : undefined;
  return {
    processor: options.processor?.id ?? null,
    subscription: subscription
      ? {
          planId: subscription.plan_id,
          status: subscription.status,
          currentPeriodEnd: subscription.current_period_end,
          cancelAtPeriodEnd: subscription.cancel_at_period_end,
        }
      : null,
    hasBillingAccount: customer !== undefined,
  };
}

export async function openBillingPortal(
  db: Db,
  deps: { processor: PaymentProcessor; appUrl: string },
  options: { userId: string },
): Promise<{ url: string }> {
  const customerId = await findCustomerId(db, { processor: deps.processor.id, userId: options.userId });
  if (!customerId)
    throw new AppError("NOT_FOUND", "There is no billing account yet: buy credits or a plan first.", {
      reason: "no_billing_account",
    });
  return {
    url: await deps.processor.billingPortalUrl({ customerId, returnUrl: `${deps.appUrl}/settings?section=billing` }),
  };
}

/** The receipt of one of the caller's own purchase rows (ownership checked in the query). */
export async function receiptUrlForLedgerEntry(
  db: Db,
  deps: { processor: PaymentProcessor },
  options: { userId: string; ledgerId: number },
): Promise<string> {
  const row = await db
    .selectFrom("credit_ledger")
    .select(["payment_processor", "payment_reference"])
    .where("id", "=", options.ledgerId)
    .where("user_id", "=", options.userId)
    .where("kind", "in", ["purchase", "reversal"])
    .executeTakeFirst();
  if (!row?.payment_reference || row.payment_processor !== deps.processor.id) {
    throw new AppError("NOT_FOUND", "No receipt for this entry.", { reason: "no_receipt" });
  }
  const url = await deps.processor.receiptUrl(row.payment_reference);
  if (!url)
    throw new AppError("NOT_FOUND", "The payment processor has no receipt for this payment.", {
      reason: "processor_no_receipt",
    });
  return url;
}

/** Whether the user has a subscription still running at any processor (account deletion checks before going on). */
export async function hasLiveSubscriptions(db: Db, options: { userId: string }): Promise<boolean> {
  const row = await db
    .selectFrom("payment_subscriptions")
    .select("subscription_id")
    .where("user_id", "=", options.userId)
    .where("status", "in", liveStatuses)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Ends every live subscription of a user now, at the processor and here (account deletion calls
 * this before the user's rows go). Idempotent: a canceled subscription is skipped.
 */
export async function cancelSubscriptionsForUser(
  db: Db,
  deps: { processor: PaymentProcessor },
  options: { userId: string },
): Promise<{ canceled: number }> {
  const subscriptions = await db
    .selectFrom("payment_subscriptions")
    .select(["subscription_id"])
    .where("user_id", "=", options.userId)
    .where("processor", "=", deps.processor.id)
    .where("status", "in", liveStatuses)
    .execute();
  for (const subscription of subscriptions) {
    await deps.processor.cancelSubscriptionNow(subscription.subscription_id);
    await db
      .updateTable("payment_subscriptions")
      .set({ status: "canceled", cancel_at_period_end: false, updated_at: new Date() })
      .where("processor", "=", deps.processor.id)
      .where("subscription_id", "=", subscription.subscription_id)
      .execute();
  }
  return { canceled: subscriptions.length };
}
