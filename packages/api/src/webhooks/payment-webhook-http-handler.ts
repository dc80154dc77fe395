// POST /api/webhooks/{stripe|creem}: a payment processor's event. The raw body's signature is
// verified with the processor's SDK before anything else reads it (400 when it does not
// match); the event is stored once by its id, and the workflow that applies it is started with
// an id derived from the event (a duplicate delivery starts nothing new). 200 means stored:
// the processor stops retrying; a failure to store or start answers 500 so it retries.
import type { Db } from "@animateimg/db";
import { recordPaymentEvent, WebhookVerificationError, type PaymentProcessor } from "@animateimg/payments";
import type { Orchestrator } from "@animateimg/workflows/orchestrator";

export interface PaymentWebhookHttpHandlerOptions {
  getDb: () => Db;
  getOrchestrator: () => Pick<Orchestrator, "startPaymentEvent">;
  /** The deployment's processor, or undefined when payments are not configured. */
  getProcessor: () => PaymentProcessor | undefined;
  maxBodyBytes?: number;
  /** Tests shorten the apply timeout. */
  applyTimeout?: string;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

export function createPaymentWebhookHttpHandler(options: PaymentWebhookHttpHandlerOptions) {
  const maxBodyBytes = options.maxBodyBytes ?? 512 * 1024;
  return async (req: Request, processorId: string): Promise<Response> => {
    if (req.method !== "POST") return json(405, { error: "webhooks are POSTed" });
    const processor = options.getProcessor();
    if (!processor || processor.id !== processorId) return json(404, { error: "no such webhook" });
    const declared = Number(req.headers.get("content-length") ?? "NaN");
    if (Number.isFinite(declared) && declared > maxBodyBytes) return json(413, { error: "body too large" });
    const rawBody = await req.text();
    if (Buffer.byteLength(rawBody) > maxBodyBytes) return json(413, { error: "body too large" });

    let event;
    try {
      event = processor.verifyWebhook(rawBody, req.headers);
    } catch (error) {
      if (error instanceof WebhookVerificationError) return json(400, { error: "invalid_signature" });
      throw error;
    }
    if (!processor.handles(event.type)) return json(200, { ok: true, ignored: true });
    const { stored } = await recordPaymentEvent(options.getDb(), { processor: processor.id, event });
    await options.getOrchestrator().startPaymentEvent({
      processor: processor.id,
      eventId: event.eventId,
      ...(options.applyTimeout ? { applyTimeout: options.applyTimeout } : {}),
    });
    return json(200, { ok: true, duplicate: !stored });
  };
}
