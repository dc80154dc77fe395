import "server-only";
import { handlePaymentWebhook } from "~/server/payment-webhooks";
import { logged } from "~/server/logging";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * POST /api/webhooks/creem: the raw body's `creem-signature` (hex HMAC-SHA256 with the webhook
 * secret) checked in constant time before anything else, stored once, applied by a workflow.
 * A route of its own so that /api/webhooks/[provider] (generation providers) never sees it.
 */
export const POST = logged("/api/webhooks/creem", (request: Request): Promise<Response> =>
  handlePaymentWebhook(request, "creem"),
);
