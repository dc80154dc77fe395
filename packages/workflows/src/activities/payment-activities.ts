import { ApplicationFailure } from "@temporalio/common";
import type { Db } from "@animateimg/db";
import { applyPaymentEvent, type Offers, type PaymentEventOutcome, type PaymentProcessor } from "@animateimg/payments";
import { activityLog } from "./activity-log";

export interface PaymentActivityDeps {
  db: Db;
  /** The deployment's payment processor and offers; absent: payment events wait for a worker that has them. */
  payments?: { processor: PaymentProcessor; offers: Offers };
}

const needsAttention: ReadonlySet<PaymentEventOutcome> = new Set([
  "unknown_customer",
  "unknown_offer",
  "unknown_payment",
  "unknown_event",
]);

export function createPaymentActivities(deps: PaymentActivityDeps) {
  return {
    async applyPaymentEvent(input: { processor: string; eventId: string }): Promise<PaymentEventOutcome> {
      if (deps.payments?.processor.id !== input.processor) {
        // Retryable: the event stays stored and a worker configured for this processor applies it.
        throw ApplicationFailure.retryable(
          `This worker has no ${input.processor} configuration`,
          "payments_not_configured",
        );
      }
      const outcome = await applyPaymentEvent(deps.db, deps.payments, { eventId: input.eventId });
      // Recorded on the event row; this line is the report for whoever watches the logs.
      if (needsAttention.has(outcome))
        activityLog().warn("payment event needs attention", {
          event: "payment_event_needs_attention",
          processor: input.processor,
          eventId: input.eventId,
          outcome,
        });
      return outcome;
    },
  };
}
