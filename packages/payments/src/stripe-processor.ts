// Stripe through its official SDK. One Customer per user, Checkout Sessions in `payment` mode
// for packs and `subscription` mode for plans (inline price_data, so no dashboard setup is
// needed), the Billing Portal, and webhooks verified with constructEvent.
import Stripe from "stripe";
import type { CheckoutRequest, PaymentFacts, PaymentProcessor, VerifiedPaymentEvent } from "./processor";
import { WebhookVerificationError } from "./processor";

export interface StripeProcessorOptions {
  secretKey: string;
  webhookSecret: string;
  /** Point the SDK elsewhere (the local fake): host, port and protocol, nothing else changes. */
  host?: string;
  port?: number;
  protocol?: "http" | "https";
  /** Seconds a signed webhook stays acceptable (replays older than this are refused). */
  webhookToleranceSeconds?: number;
}

const handledTypes = new Set([
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.async_payment_failed",
  "checkout.session.expired",
  "invoice.paid",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "charge.refunded",
  "charge.dispute.created",
  "charge.dispute.closed",
]);

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  value == null ? null : typeof value === "string" ? value : value.id;

export function createStripeProcessor(options: StripeProcessorOptions): PaymentProcessor {
  const stripe = new Stripe(options.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    ...(options.host ? { host: options.host } : {}),
    ...(options.port ? { port: options.port } : {}),
    ...(options.protocol ? { protocol: options.protocol } : {}),
    appInfo: { name: "AnimateImg" },
  });
  const tolerance = options.webhookToleranceSeconds ?? 300;

  function subscriptionFacts(subscription: Stripe.Subscription): PaymentFacts {
    const periodEnd = subscription.items.data[0]?.current_period_end;
    return {
      kind: "subscription",
      userId: subscription.metadata.user_id ?? null,
      customerId: idOf(subscription.customer),
      subscriptionId: subscription.id,
      planId: subscription.metadata.plan_id ?? null,
      status: subscription.status,
      currentPeriodEnd: periodEnd ? new Date(periodEnd * 1000) : null,
      cancelAtPeriodEnd: subscription.cancel_at_period_end,
    };
  }

  /** A charge's purchase reference: the invoice it paid (subscriptions) or its payment intent (packs). */
  async function referenceOfCharge(charge: Stripe.Charge): Promise<string> {
    const paymentIntent = idOf(charge.payment_intent);
    if (!paymentIntent) return charge.id;
    const invoicePayments = await stripe.invoicePayments.list({
      payment: { type: "payment_intent", payment_intent: paymentIntent },
      limit: 1,
    });
    const invoice = invoicePayments.data[0] ? idOf(invoicePayments.data[0].invoice) : null;
    return invoice ?? paymentIntent;
  }

  return {
    id: "stripe",

    async createCustomer({ userId, email }) {
      const customer = await stripe.customers.create(
        { email, metadata: { user_id: userId } },
        { idempotencyKey: `customer-${userId}` },
      );
      return customer.id;
    },

    async createCheckout(request: CheckoutRequest) {
      const { offer } = request;
      const metadata = { user_id: request.userId, offer_id: offer.id, credits: String(offer.credits) };
      const productName =
        offer.kind === "plan" ? `${offer.name}: ${offer.credits} credits a month` : `${offer.credits} credits`;
      const session = await stripe.checkout.sessions.create({
        mode: offer.kind === "plan" ? "subscription" : "payment",
        ...(request.customerId ? { customer: request.customerId } : { customer_email: request.email }),
        client_reference_id: request.userId,
        metadata,
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: offer.currency,
              unit_amount: offer.price,
              product_data: { name: productName },
              ...(offer.kind === "plan" ? { recurring: { interval: offer.interval } } : {}),
            },
          },
        ],
        ...(offer.kind === "plan"
          ? { subscription_data: { metadata: { user_id: request.userId, plan_id: offer.id } } }
          : { payment_intent_data: { metadata } }),
        success_url: request.successUrl,
        cancel_url: request.cancelUrl,
      });
      if (!session.url) throw new Error("Stripe returned a checkout session without a URL");
      return { url: session.url, checkoutId: session.id };
    },

    verifyWebhook(rawBody: string, headers: Headers): VerifiedPaymentEvent {
      const signature = headers.get("stripe-signature");
      if (!signature) throw new WebhookVerificationError("missing Stripe-Signature");
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(rawBody, signature, options.webhookSecret, tolerance);
      } catch (error) {
        throw new WebhookVerificationError(error instanceof Error ? error.message : "signature did not verify");
      }
      const object = event.data.object as { id?: string };
      if (!object.id) throw new WebhookVerificationError("event without an object id");
      return { eventId: event.id, type: event.type, objectId: object.id };
    },

    handles: (type) => handledTypes.has(type),

    async currentFacts({ type, objectId }): Promise<PaymentFacts> {
      if (type.startsWith("checkout.session.")) {
        const session = await stripe.checkout.sessions.retrieve(objectId);
        if (session.mode === "subscription") {
          const subscriptionId = idOf(session.subscription);
          if (!subscriptionId) return { kind: "ignored" };
          return subscriptionFacts(await stripe.subscriptions.retrieve(subscriptionId));
        }
        if (session.mode !== "payment") return { kind: "ignored" };
        if (session.payment_status === "paid") {
          const reference = idOf(session.payment_intent);
          if (!reference) return { kind: "pack_not_paid", state: "pending" };
          const credits = Number(session.metadata?.credits);
          return {
            kind: "pack_paid",
            userId: session.client_reference_id ?? session.metadata?.user_id ?? null,
            customerId: idOf(session.customer),
            reference,
            offerId: session.metadata?.offer_id ?? "",
            credits: Number.isInteger(credits) && credits > 0 ? credits : null,
            amount: session.amount_total ?? 0,
            currency: session.currency ?? "usd",
          };
        }
        if (session.status === "expired") return { kind: "pack_not_paid", state: "expired" };
        if (session.status === "open") return { kind: "pack_not_paid", state: "open" };
        return { kind: "pack_not_paid", state: type.endsWith("async_payment_failed") ? "failed" : "pending" };
      }
      if (type === "invoice.paid") {
        const invoice = await stripe.invoices.retrieve(objectId);
        const subscriptionId = idOf(invoice.parent?.subscription_details?.subscription);
        if (!subscriptionId) return { kind: "ignored" };
        if (invoice.status !== "paid") return { kind: "period_not_paid" };
        const subscription = await stripe.subscriptions.retrieve(subscriptionId);
        return {
          kind: "period_paid",
          userId: subscription.metadata.user_id ?? null,
          customerId: idOf(invoice.customer),
          subscriptionId,
          reference: invoice.id,
          planId: subscription.metadata.plan_id ?? invoice.parent?.subscription_details?.metadata?.plan_id ?? null,
          amount: invoice.amount_paid,
          currency: invoice.currency,
        };
      }
      if (type.startsWith("customer.subscription.")) {
        return subscriptionFacts(await stripe.subscriptions.retrieve(objectId));
      }
      if (type === "charge.refunded") {
        const charge = await stripe.charges.retrieve(objectId);
        if (charge.amount <= 0) return { kind: "ignored" };
        return {
          kind: "taken_back",
          cause: "refund",
          customerId: idOf(charge.customer),
          reference: await referenceOfCharge(charge),
          fraction: charge.amount_refunded / charge.amount,
        };
      }
      if (type.startsWith("charge.dispute.")) {
        const dispute = await stripe.disputes.retrieve(objectId);
        const charge = await stripe.charges.retrieve(idOf(dispute.charge) ?? "");
        if (charge.amount <= 0) return { kind: "ignored" };
        // A dispute the merchant won (or an inquiry closed without a chargeback) gives the money
        // back to us: what the dispute took comes back. Whichever of the dispute's events is
        // applied, the dispute's current state decides.
        if (dispute.status === "won" || dispute.status === "warning_closed") {
          return { kind: "dispute_won", customerId: idOf(charge.customer), reference: await referenceOfCharge(charge) };
        }
        return {
          kind: "taken_back",
          cause: "dispute",
          customerId: idOf(charge.customer),
          reference: await referenceOfCharge(charge),
          fraction: Math.min(1, dispute.amount / charge.amount),
        };
      }
      return { kind: "ignored" };
    },

    async billingPortalUrl({ customerId, returnUrl }) {
      const session = await stripe.billingPortal.sessions.create({ customer: customerId, return_url: returnUrl });
      return session.url;
    },

    async receiptUrl(reference) {
      if (reference.startsWith("in_")) {
        const invoice = await stripe.invoices.retrieve(reference);
        return invoice.hosted_invoice_url ?? null;
      }
      const paymentIntent = await stripe.paymentIntents.retrieve(reference, { expand: ["latest_charge"] });
      const charge = paymentIntent.latest_charge;
      return charge && typeof charge !== "string" ? charge.receipt_url : null;
    },

    async cancelSubscriptionNow(subscriptionId) {
      await stripe.subscriptions.cancel(subscriptionId);
    },
  };
}
