import "server-only";
import { createPaymentWebhookHttpHandler } from "@animateimg/api";
import { env } from "~/env";
import { getDependencies } from "./deps";

/** One handler for both processors: the deployment's PAYMENTS_PROVIDER answers, the other is a 404. */
export const handlePaymentWebhook = createPaymentWebhookHttpHandler({
  getDb: () => getDependencies().db,
  getTemporalClient: () => getDependencies().getTemporalClient(),
  getProcessor: () => getDependencies().payments?.processor,
  taskQueue: env.TEMPORAL_TASK_QUEUE,
});
