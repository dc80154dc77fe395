import { proxyActivities, sleep } from "@temporalio/workflow";
import type { Activities } from "../activities";
import type { WebhookDeliveryWorkflowInput } from "../shared";

// The attempt itself never throws for a receiver's answer (a 500, a timeout are results); the
// activity retries only our own failures (Postgres), quickly and without end.
const webhooks = proxyActivities<Activities>({
  startToCloseTimeout: "1 minute",
  retry: { initialInterval: "1 second", maximumInterval: "1 minute", backoffCoefficient: 2 },
});

/**
 * Delivers one event to one endpoint: attempt, and after a failure wait (durable timers,
 * growing: 5 s, 5 min, 30 min, 2 h, 5 h, then every 10 h by default) and try again, until a
 * 2xx, the endpoint is turned off or deleted, or the next wait would pass the give-up time
 * (3 days by default). Every attempt is in the delivery log.
 */
export async function webhookDeliveryWorkflow(
  input: WebhookDeliveryWorkflowInput,
): Promise<{ outcome: string; attempts: number }> {
  // Time waited so far (the attempts' own seconds are small beside hours of waiting).
  let waitedMs = 0;
  for (let attemptNo = 1; ; attemptNo++) {
    const result = await webhooks.attemptWebhookDelivery({ deliveryId: input.deliveryId, attemptNo });
    if (result.outcome !== "failed") return { outcome: result.outcome, attempts: attemptNo };
    const { delaysMs, giveUpAfterMs } = result.schedule;
    const delay = delaysMs[Math.min(attemptNo - 1, delaysMs.length - 1)] ?? 0;
    if (waitedMs + delay > giveUpAfterMs) {
      await webhooks.finishWebhookDelivery(input.deliveryId);
      return { outcome: "gave_up", attempts: attemptNo };
    }
    await webhooks.noteWebhookNextAttempt({ deliveryId: input.deliveryId, inMs: delay });
    await sleep(delay);
    waitedMs += delay;
  }
}
