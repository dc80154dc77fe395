// What the web app does with a provider callback, free of HTTP framework and database so it can
// be tested alone: verify and parse it with the adapter, drop duplicates, find the generation
// it belongs to, and tell that generation's workflow to re-read the job. The workflow never
// trusts the callback's body for money decisions: it polls the provider (or, for signed
// callbacks, may use the claimed status).
import { createHash } from "node:crypto";
import { ProviderError, type ProviderAdapter } from "./adapter";

export interface WebhookIntakeDependencies {
  adapter: ProviderAdapter;
  /** The generation that owns this provider job (generation_attempts), or undefined. */
  findGenerationId(provider: string, providerJobId: string): Promise<string | undefined>;
  /** Records the delivery; false when it was already recorded (a duplicate). */
  recordDelivery(event: { provider: string; deliveryKey: string; providerJobId: string }): Promise<boolean>;
  /** Undoes recordDelivery when signalling failed, so the provider's retry is not dropped. */
  forgetDelivery(event: { provider: string; deliveryKey: string }): Promise<void>;
  signalProviderUpdate(generationId: string, update: { provider: string; providerJobId: string }): Promise<void>;
  /**
   * Remembers a job no attempt names: at a provider we cannot search by our own id, this is how
   * the job of a submit whose answer was lost shows itself (the reconciler confirms and settles it).
   */
  recordUnclaimedJob?(event: { provider: string; providerJobId: string }): Promise<void>;
}

export type WebhookIntakeResult =
  | { status: 200; outcome: "signalled" | "duplicate"; generationId?: string; providerJobId: string }
  | {
      status: 400 | 401 | 404 | 503;
      outcome: "malformed" | "bad_signature" | "unknown_job" | "try_later";
      message: string;
    };

/**
 * A stable id for one delivery: the provider's own delivery id where it sends one (Standard
 * Webhooks' webhook-id, stable across retries), else a hash of the body (providers that call
 * back on every status change send a different body per change, and the same body on a retry).
 */
export function webhookDeliveryKey(headers: Headers, rawBody: string): string {
  const id = headers.get("webhook-id");
  if (id) return `id:${id}`;
  return `sha256:${createHash("sha256").update(rawBody).digest("hex")}`;
}

export async function handleProviderWebhook(
  deps: WebhookIntakeDependencies,
  request: { headers: Headers; rawBody: string },
): Promise<WebhookIntakeResult> {
  const provider = deps.adapter.id;
  let parsed;
  try {
    parsed = await deps.adapter.parseWebhook({ headers: request.headers, rawBody: request.rawBody });
  } catch (error) {
    if (error instanceof ProviderError && error.kind === "auth")
      return { status: 401, outcome: "bad_signature", message: error.message };
    if (error instanceof ProviderError && error.kind === "transient")
      return { status: 503, outcome: "try_later", message: error.message };
    return {
      status: 400,
      outcome: "malformed",
      message: error instanceof Error ? error.message : "unreadable webhook",
    };
  }
  const { providerJobId } = parsed;
  const generationId = await deps.findGenerationId(provider, providerJobId);
  // Not recorded as a delivery: the attempt row may simply not be committed yet, and a provider
  // that retries on non-2xx will deliver again. Polling covers the rest.
  if (!generationId) {
    // Also kept for the reconciler: it may be the job of a submit whose answer was lost. An
    // unsigned callback proves nothing; the reconciler asks the provider before acting on it.
    await deps.recordUnclaimedJob?.({ provider, providerJobId });
    return { status: 404, outcome: "unknown_job", message: "no attempt with this job id" };
  }

  const deliveryKey = webhookDeliveryKey(request.headers, request.rawBody);
  const isNew = await deps.recordDelivery({ provider, deliveryKey, providerJobId });
  if (!isNew) return { status: 200, outcome: "duplicate", generationId, providerJobId };
  try {
    await deps.signalProviderUpdate(generationId, { provider, providerJobId });
  } catch (error) {
    await deps.forgetDelivery({ provider, deliveryKey });
    return { status: 503, outcome: "try_later", message: error instanceof Error ? error.message : "signal failed" };
  }
  return { status: 200, outcome: "signalled", generationId, providerJobId };
}
