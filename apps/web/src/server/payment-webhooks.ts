import "server-only";
import { createPaymentWebhookHttpHandler } from "@animateimg/api";
import { getDependencies } from "./deps";

/** One handler for both processors: the deployment's PAYMENTS_PROVIDER answers, the other is a 404. */
export const handlePaymentWebhook = createPaymentWebhookHttpHandler({
  getDb: () => getDependencies().db,
  getOrchestrator: () => getDependencies().orchestrator,
  getProcessor: () => getDependencies().payments?.processor,
});
