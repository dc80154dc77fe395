// One interface in front of every payment processor. Everything past it (the webhook intake,
// the apply step, the ledger) is the same whichever processor took the money.
import type { PaymentProcessorId } from "@animateimg/db";
import type { Offer } from "./offers";

export type { PaymentProcessorId };

/** A webhook whose signature checked out: only what we keep of it. */
export interface VerifiedPaymentEvent {
  eventId: string;
  type: string;
  /** The object the event is about (session, invoice, subscription, charge, dispute, order…). */
  objectId: string;
}

/**
 * The current state of the object an event is about, fetched from the processor when the
 * event is applied (never the event's own snapshot: events arrive late and out of order).
 */
export type PaymentFacts =
  | {
      kind: "pack_paid";
      userId: string | null;
      customerId: string | null;
      /** Payment intent (Stripe) or order (Creem) id. */
      reference: string;
      offerId: string;
      credits: number | null;
      amount: number;
      currency: string;
    }
  | { kind: "pack_not_paid"; state: "open" | "pending" | "failed" | "expired" }
  | {
      kind: "subscription";
      userId: string | null;
      customerId: string | null;
      subscriptionId: string;
      planId: string | null;
      /** The processor's status word (active, trialing, past_due, canceled, …). */
      status: string;
      currentPeriodEnd: Date | null;
      cancelAtPeriodEnd: boolean;
    }
  | {
      kind: "period_paid";
      userId: string | null;
      customerId: string | null;
      subscriptionId: string;
      /** Invoice (Stripe) or the period's order/transaction (Creem) id: one grant per reference. */
      reference: string;
      planId: string | null;
      amount: number;
      currency: string;
    }
  | { kind: "period_not_paid" }
  | {
      kind: "taken_back";
      cause: "refund" | "dispute";
      customerId: string | null;
      /** The purchase's reference (what pack_paid / period_paid recorded). */
      reference: string;
      /** How much of that payment is refunded or disputed now, 0–1. */
      fraction: number;
    }
  | {
      /** A dispute the merchant won (or an inquiry closed without a chargeback): the payment is ours again. */
      kind: "dispute_won";
      customerId: string | null;
      /** The purchase's reference (what pack_paid / period_paid recorded). */
      reference: string;
    }
  | { kind: "ignored" };

export class WebhookVerificationError extends Error {
  override name = "WebhookVerificationError";
}

export interface CheckoutRequest {
  offer: Offer;
  userId: string;
  email: string;
  /** Our stored customer id for this user at this processor, if any. */
  customerId: string | undefined;
  successUrl: string;
  cancelUrl: string;
}

export interface PaymentProcessor {
  readonly id: PaymentProcessorId;
  /** Creates the processor's customer for a user (only its id is stored by us). */
  createCustomer(options: { userId: string; email: string }): Promise<string>;
  /** A hosted checkout page for one offer. */
  createCheckout(request: CheckoutRequest): Promise<{ url: string; checkoutId: string }>;
  /** Verifies the raw body's signature before anything else reads it; throws WebhookVerificationError. */
  verifyWebhook(rawBody: string, headers: Headers): VerifiedPaymentEvent;
  /** Event types this processor's intake stores and applies; the rest are acknowledged and dropped. */
  handles(type: string): boolean;
  /** The object's current state, as PaymentFacts. */
  currentFacts(event: { type: string; objectId: string }): Promise<PaymentFacts>;
  /** Self-service billing (change plan, cancel at period end, invoices). */
  billingPortalUrl(options: { customerId: string; returnUrl: string }): Promise<string>;
  /** Where the user can see the receipt of a purchase, by its reference. */
  receiptUrl(reference: string): Promise<string | null>;
  /** Ends a subscription now (account deletion). */
  cancelSubscriptionNow(subscriptionId: string): Promise<void>;
}
