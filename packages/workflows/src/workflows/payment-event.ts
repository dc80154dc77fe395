import { proxyActivities } from "@temporalio/workflow";
import type { Activities } from "../activities";
import type { PaymentEventWorkflowInput } from "../shared";

/**
 * Applies one stored payment webhook event. The activity fetches the object's current state
 * from the processor and writes the ledger with idempotent keys in one transaction, so a retry
 * after a worker crash (before or after the commit) grants exactly once. Processor outages are
 * retried with backoff for up to three days, as long as processors keep retrying webhooks.
 */
export async function paymentEventWorkflow(input: PaymentEventWorkflowInput): Promise<string> {
  const { applyPaymentEvent } = proxyActivities<Activities>({
    startToCloseTimeout: input.applyTimeout ?? "1 minute",
    scheduleToCloseTimeout: "3 days",
    retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "10 minutes" },
  });
  return applyPaymentEvent({ processor: input.processor, eventId: input.eventId });
}
