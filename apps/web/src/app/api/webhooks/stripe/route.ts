import "server-only";
import { handlePaymentWebhook } from "~/server/payment-webhooks";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** POST /api/webhooks/stripe: verified with Stripe's SDK (raw body, 300 s tolerance), stored once, applied by a workflow. */
export function POST(request: Request): Promise<Response> {
  return handlePaymentWebhook(request, "stripe");
}
