// Creem through its official SDK (`creem`). Creem sells products created in its dashboard, so
// each offer names its Creem product (`creemProductId`, defaulting to the offer id, which is what
// the local fake's products are called). One Customer per user, checkouts tied to the user by
// `request_id` + metadata, the customer portal for self-service billing, and webhooks verified
// as Creem documents them: `creem-signature` = hex HMAC-SHA256 of the raw body with the secret.
import { createHmac, timingSafeEqual } from "node:crypto";
import { Creem } from "creem";
import type { CheckoutEntity, SubscriptionEntity, TransactionEntity } from "creem/models/components";
import type { Offers } from "./offers";
import type { CheckoutRequest, PaymentFacts, PaymentProcessor, VerifiedPaymentEvent } from "./processor";
import { WebhookVerificationError } from "./processor";

export interface CreemProcessorOptions {
  apiKey: string;
  webhookSecret: string;
  /** The SDK's `serverURL` (the local fake); unset: Creem's test API for `creem_test_` keys, else production. */
  serverURL?: string;
  /** The offers, to map Creem product ids back to offers when metadata is missing. */
  offers: Offers;
  /**
   * How old (by its signed `created_at`) a webhook may be and still be accepted. Creem signs the
   * body only, and retries a failed delivery after 30 s, 1 min, 5 min and 1 h with the same body,
   * so the window must cover that schedule; anything older is a replay and refused.
   */
  webhookToleranceSeconds?: number;
}

/** Creem's retry schedule (30 s + 1 min + 5 min + 1 h) with room to spare. */
export const creemDefaultWebhookToleranceSeconds = 2 * 60 * 60;

const handledTypes = new Set([
  "checkout.completed",
  "subscription.active",
  "subscription.trialing",
  "subscription.paid",
  "subscription.update",
  "subscription.scheduled_cancel",
  "subscription.past_due",
  "subscription.unpaid",
  "subscription.paused",
  "subscription.canceled",
  "subscription.expired",
  "refund.created",
  "dispute.created",
]);

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  value == null ? null : typeof value === "string" ? value : value.id;
const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

/** The object whose current state decides an event, from the event's own (signed) snapshot. */
function objectIdOf(type: string, object: Record<string, unknown>): string | null {
  // A refund or dispute is decided by the payment it takes back; Creem has no API to read
  // refunds or disputes, but the transaction's current state carries both.
  if (type === "refund.created" || type === "dispute.created")
    return idOf(object.transaction as { id: string } | undefined);
  // One grant per paid period: the period's transaction, not the subscription (whose "last
  // transaction" moves on when a later period is paid before this event is applied).
  if (type === "subscription.paid")
    return (
      text(object.last_transaction_id) ?? idOf(object.last_transaction as { id: string } | undefined) ?? text(object.id)
    );
  return text(object.id);
}

export function createCreemProcessor(options: CreemProcessorOptions): PaymentProcessor {
  const creem = new Creem({
    apiKey: options.apiKey,
    ...(options.serverURL
      ? { serverURL: options.serverURL }
      : { server: options.apiKey.startsWith("creem_test_") ? "test" : "prod" }),
    timeoutMs: 20_000,
    retryConfig: {
      strategy: "backoff",
      backoff: { initialInterval: 500, maxInterval: 5_000, exponent: 2, maxElapsedTime: 20_000 },
      retryConnectionErrors: true,
    },
  });
  const tolerance = options.webhookToleranceSeconds ?? creemDefaultWebhookToleranceSeconds;
  const offerByProduct = new Map(
    [...options.offers.packs, ...options.offers.plans].map((o) => [o.creemProductId ?? o.id, o.id]),
  );
  const offerOf = (
    metadata: Record<string, unknown> | null | undefined,
    product: string | { id: string } | null | undefined,
  ) => text(metadata?.offer_id) ?? text(metadata?.plan_id) ?? offerByProduct.get(idOf(product) ?? "") ?? null;

  function subscriptionFacts(subscription: SubscriptionEntity): PaymentFacts {
    // Creem's "scheduled_cancel" is an active subscription that ends at its period's end.
    const scheduled = subscription.status === "scheduled_cancel";
    return {
      kind: "subscription",
      userId: text(subscription.metadata?.user_id),
      customerId: idOf(subscription.customer),
      subscriptionId: subscription.id,
      planId: offerOf(subscription.metadata, subscription.product),
      status: scheduled ? "active" : subscription.status,
      currentPeriodEnd: subscription.currentPeriodEndDate ?? null,
      cancelAtPeriodEnd: scheduled,
    };
  }

  /** A transaction's purchase reference: the order for a one-time payment, itself for a period of a subscription. */
  const referenceOf = (transaction: TransactionEntity) =>
    transaction.subscription ? transaction.id : (transaction.order ?? transaction.id);
  const paidStatuses = new Set(["paid", "refunded", "partialRefund", "chargedBack"]);

  async function checkoutFacts(checkout: CheckoutEntity): Promise<PaymentFacts> {
    const subscriptionId = idOf(checkout.subscription);
    if (subscriptionId) return subscriptionFacts(await creem.subscriptions.get(subscriptionId));
    if (checkout.status === "expired") return { kind: "pack_not_paid", state: "expired" };
    if (checkout.status === "pending") return { kind: "pack_not_paid", state: "open" };
    const order = checkout.order;
    if (checkout.status !== "completed" || !order || order.status !== "paid")
      return { kind: "pack_not_paid", state: "pending" };
    const credits = Number(checkout.metadata?.credits);
    return {
      kind: "pack_paid",
      userId: text(checkout.metadata?.user_id) ?? text(checkout.requestId),
      customerId: idOf(checkout.customer) ?? text(order.customer),
      reference: order.id,
      offerId: offerOf(checkout.metadata, checkout.product) ?? "",
      credits: Number.isInteger(credits) && credits > 0 ? credits : null,
      amount: order.amountPaid ?? order.amount,
      currency: order.currency.toLowerCase(),
    };
  }

  async function periodFacts(transaction: TransactionEntity): Promise<PaymentFacts> {
    if (!transaction.subscription) return { kind: "ignored" };
    if (!paidStatuses.has(transaction.status)) return { kind: "period_not_paid" };
    const subscription = await creem.subscriptions.get(transaction.subscription);
    return {
      kind: "period_paid",
      userId: text(subscription.metadata?.user_id),
      customerId: transaction.customer ?? idOf(subscription.customer),
      subscriptionId: subscription.id,
      reference: transaction.id,
      planId: offerOf(subscription.metadata, subscription.product),
      amount: transaction.amountPaid ?? transaction.amount,
      currency: transaction.currency.toLowerCase(),
    };
  }

  return {
    id: "creem",

    async createCustomer({ userId, email }) {
      const customer = await creem.customers.create({
        email,
        name: email.split("@")[0] ?? email,
        externalId: userId,
        metadata: { user_id: userId },
      });
      return customer.id;
    },

    async createCheckout(request: CheckoutRequest) {
      const { offer } = request;
      const checkout = await creem.checkouts.create({
        productId: offer.creemProductId ?? offer.id,
        // Creem's field for tying a checkout to the buyer on our side (Stripe's client_reference_id).
        requestId: request.userId,
        units: 1,
        customer: request.customerId ? { id: request.customerId } : { email: request.email },
        metadata: {
          user_id: request.userId,
          offer_id: offer.id,
          credits: String(offer.credits),
          ...(offer.kind === "plan" ? { plan_id: offer.id } : {}),
        },
        successUrl: request.successUrl,
      });
      if (!checkout.checkoutUrl) throw new Error("Creem returned a checkout without a URL");
      return { url: checkout.checkoutUrl, checkoutId: checkout.id };
    },

    verifyWebhook(rawBody: string, headers: Headers): VerifiedPaymentEvent {
      const signature = headers.get("creem-signature")?.trim().toLowerCase();
      if (!signature || !/^[0-9a-f]{64}$/.test(signature))
        throw new WebhookVerificationError("missing or malformed creem-signature");
      const expected = createHmac("sha256", options.webhookSecret).update(rawBody, "utf8").digest();
      // Constant time: both are 32 bytes here (the format was checked above).
      if (!timingSafeEqual(Buffer.from(signature, "hex"), expected))
        throw new WebhookVerificationError("signature did not verify");
      let event: { id?: unknown; eventType?: unknown; created_at?: unknown; object?: unknown };
      try {
        event = JSON.parse(rawBody) as typeof event;
      } catch {
        throw new WebhookVerificationError("body is not JSON");
      }
      // The signature covers the body only, so its own created_at is the replay guard.
      const createdAt =
        typeof event.created_at === "number"
          ? event.created_at < 1e12
            ? event.created_at * 1000
            : event.created_at
          : NaN;
      if (!Number.isFinite(createdAt) || Math.abs(Date.now() - createdAt) > tolerance * 1000)
        throw new WebhookVerificationError("event outside the accepted time window");
      const type = text(event.eventType);
      const object =
        event.object && typeof event.object === "object" ? (event.object as Record<string, unknown>) : null;
      const objectId = type && object ? objectIdOf(type, object) : null;
      if (!text(event.id) || !type || !objectId)
        throw new WebhookVerificationError("event without an id, type or object");
      return { eventId: event.id as string, type, objectId };
    },

    handles: (type) => handledTypes.has(type),

    async currentFacts({ type, objectId }): Promise<PaymentFacts> {
      if (type === "checkout.completed") return checkoutFacts(await creem.checkouts.retrieve(objectId));
      if (type === "subscription.paid") {
        // Normally the period's transaction; a subscription id when the event carried none.
        if (objectId.startsWith("sub_")) {
          const subscription = await creem.subscriptions.get(objectId);
          const transactionId = subscription.lastTransactionId ?? subscription.lastTransaction?.id;
          return transactionId
            ? periodFacts(await creem.transactions.getById(transactionId))
            : { kind: "period_not_paid" };
        }
        return periodFacts(await creem.transactions.getById(objectId));
      }
      if (type.startsWith("subscription.")) return subscriptionFacts(await creem.subscriptions.get(objectId));
      if (type === "refund.created" || type === "dispute.created") {
        const transaction = await creem.transactions.getById(objectId);
        if (transaction.amount <= 0) return { kind: "ignored" };
        if (type === "dispute.created") {
          // A chargeback takes the whole payment (Creem, the merchant of record, answers disputes).
          return {
            kind: "taken_back",
            cause: "dispute",
            customerId: transaction.customer ?? null,
            reference: referenceOf(transaction),
            fraction: 1,
          };
        }
        const refunded = transaction.status === "refunded" ? transaction.amount : (transaction.refundedAmount ?? 0);
        if (refunded <= 0) return { kind: "ignored" };
        return {
          kind: "taken_back",
          cause: "refund",
          customerId: transaction.customer ?? null,
          reference: referenceOf(transaction),
          fraction: Math.min(1, refunded / transaction.amount),
        };
      }
      return { kind: "ignored" };
    },

    async billingPortalUrl({ customerId }) {
      const links = await creem.customers.generateBillingLinks({ customerId });
      return links.customerPortalLink;
    },

    async receiptUrl(reference) {
      // Creem emails receipts and lists every payment in the customer portal: that is the link.
      const transaction = reference.startsWith("ord_")
        ? (await creem.transactions.search(undefined, reference)).result.items[0]
        : await creem.transactions.getById(reference);
      if (!transaction?.customer) return null;
      return (await creem.customers.generateBillingLinks({ customerId: transaction.customer })).customerPortalLink;
    },

    async cancelSubscriptionNow(subscriptionId) {
      const subscription = await creem.subscriptions.get(subscriptionId);
      if (subscription.status === "canceled") return;
      await creem.subscriptions.cancel(subscriptionId, { mode: "immediate" });
    },
  };
}

/**
 * The Creem products these offers need (what to create in Creem's dashboard, and what the local
 * fake starts with): one-time products for packs, monthly products for plans.
 */
export function creemProductsForOffers(offers: Offers) {
  return [
    ...offers.packs.map((p) => ({
      id: p.creemProductId ?? p.id,
      name: `${p.credits} credits`,
      price: p.price,
      currency: p.currency,
      billingType: "onetime" as const,
    })),
    ...offers.plans.map((p) => ({
      id: p.creemProductId ?? p.id,
      name: `${p.name}: ${p.credits} credits a month`,
      price: p.price,
      currency: p.currency,
      billingType: "recurring" as const,
    })),
  ];
}
