import "server-only";
import { handlePaymentWebhook } from "~/server/payment-webhooks";
import { logged } from "~/server/logging";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/webhooks/stripe: verified with Stripe's SDK (raw body, 300 s tolerance), stored once, applied by a workflow. */
export const POST = logged("/api/webhooks/stripe", (request: Request): Promise<Response> =>
  handlePaymentWebhook(request, "stripe"),
);
