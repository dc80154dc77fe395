import { renderWebhookDisabledEmail, type Mailer } from "@animateimg/email";
import type { Executor } from "@animateimg/db";
import { loadDeliveryForAttempt } from "./deliveries";
import { sendWebhook, type SendResult } from "./send";
import { signWebhook } from "./signing";
import type { EndpointUrlPolicy, ResolveHost } from "./url-policy";

export const DEFAULT_DISABLE_AFTER_DAYS = 3;

export interface AttemptSettings {
  policy: EndpointUrlPolicy;
  /** An endpoint whose every attempt failed for this many days is turned off (default 3). */
  disableAfterDays?: number;
  mailer: Mailer;
  /** Settings → Webhooks, for the email that says an endpoint was turned off. */
  settingsUrl: string;
  timeoutMs?: number;
  resolve?: ResolveHost;
}

export type AttemptOutcome =
  | { outcome: "succeeded"; statusCode: number }
  | { outcome: "failed"; statusCode: number | null; errorClass: string }
  /** Nothing more to do: the delivery, its endpoint or the event is gone, or the endpoint is off. */
  | { outcome: "stopped"; why: "gone" | "endpoint_disabled" | "already_finished" };

/**
 * One HTTP attempt of a delivery: signs the stored body with a fresh timestamp, POSTs it, and
 * records the attempt (status code, duration, error class). A 2xx ends the delivery and the
 * endpoint's failure run; a failure starts or extends the run, and a run longer than the
 * setting turns the endpoint off and emails its owner (once: only the update that turns it
 * off sends). Idempotent per (delivery, attempt number): a retried activity does not log twice.
 */
export async function attemptDelivery(
  db: Executor,
  input: { deliveryId: string; attemptNo: number },
  settings: AttemptSettings,
): Promise<AttemptOutcome> {
  const delivery = await loadDeliveryForAttempt(db, input.deliveryId);
  if (!delivery) return { outcome: "stopped", why: "gone" };
  if (delivery.status !== "pending") return { outcome: "stopped", why: "already_finished" };
  if (!delivery.enabled) {
    await finishDelivery(db, input.deliveryId, "failed");
    return { outcome: "stopped", why: "endpoint_disabled" };
  }
  const attemptedAt = new Date();
  const headers = signWebhook({
    secret: delivery.secret,
    messageId: delivery.eventId,
    body: delivery.payload,
    timestamp: attemptedAt,
  });
  const result: SendResult = await sendWebhook({
    url: delivery.url,
    headers: { ...headers },
    body: delivery.payload,
    policy: settings.policy,
    ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
    ...(settings.resolve ? { resolve: settings.resolve } : {}),
  });
  const succeeded = result.errorClass === null && result.statusCode !== null;
  const logged = await db
    .insertInto("webhook_delivery_attempts")
    .values({
      delivery_id: input.deliveryId,
      attempt_no: input.attemptNo,
      status_code: result.statusCode,
      duration_ms: result.durationMs,
      error_class: result.errorClass,
      attempted_at: attemptedAt,
    })
    .onConflict((oc) => oc.columns(["delivery_id", "attempt_no"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (logged) {
    await db
      .updateTable("webhook_deliveries")
      .set((eb) => ({
        attempts: eb("attempts", "+", 1),
        last_status_code: result.statusCode,
        ...(succeeded ? { status: "succeeded" as const, finished_at: attemptedAt, next_attempt_at: null } : {}),
      }))
      .where("id", "=", input.deliveryId)
      .execute();
  }
  if (succeeded) {
    await db
      .updateTable("webhook_endpoints")
      .set({ failing_since: null })
      .where("id", "=", delivery.endpointId)
      .execute();
    return { outcome: "succeeded", statusCode: result.statusCode! };
  }
  await noteEndpointFailure(
    db,
    {
      endpointId: delivery.endpointId,
      at: attemptedAt,
      owner: { email: delivery.ownerEmail, name: delivery.ownerName, locale: delivery.ownerLocale },
      url: delivery.url,
    },
    settings,
  );
  return { outcome: "failed", statusCode: result.statusCode, errorClass: result.errorClass ?? "http_status" };
}

async function noteEndpointFailure(
  db: Executor,
  input: { endpointId: string; at: Date; owner: { email: string; name: string; locale: "en" | "es" }; url: string },
  settings: AttemptSettings,
): Promise<void> {
  // The run starts at its first failure and survives until a success.
  await db
    .updateTable("webhook_endpoints")
    .set({ failing_since: input.at })
    .where("id", "=", input.endpointId)
    .where("failing_since", "is", null)
    .execute();
  const days = settings.disableAfterDays ?? DEFAULT_DISABLE_AFTER_DAYS;
  const cutoff = new Date(input.at.getTime() - days * 86_400_000);
  // Only the update that flips enabled sends the email: two attempts failing at once cannot both.
  const disabled = await db
    .updateTable("webhook_endpoints")
    .set({ enabled: false, disabled_reason: "failing", disabled_at: input.at, updated_at: input.at })
    .where("id", "=", input.endpointId)
    .where("enabled", "=", true)
    .where("failing_since", "<=", cutoff)
    .returning(["failing_since"])
    .executeTakeFirst();
  if (!disabled) return;
  await settings.mailer.send({
    kind: "webhook_disabled",
    to: input.owner.email,
    ...renderWebhookDisabledEmail({
      name: input.owner.name,
      url: input.url,
      failingSince: disabled.failing_since ?? input.at,
      days,
      settingsUrl: settings.settingsUrl,
      locale: input.owner.locale,
    }),
  });
}

/** Ends a delivery that will not be tried again (retries spent, or its endpoint turned off). */
export async function finishDelivery(db: Executor, deliveryId: string, status: "failed"): Promise<void> {
  await db
    .updateTable("webhook_deliveries")
    .set({ status, finished_at: new Date(), next_attempt_at: null })
    .where("id", "=", deliveryId)
    .where("status", "=", "pending")
    .execute();
}

/** Shown in the log while the workflow sleeps before the next attempt. */
export async function noteNextAttempt(db: Executor, deliveryId: string, at: Date): Promise<void> {
  await db
    .updateTable("webhook_deliveries")
    .set({ next_attempt_at: at })
    .where("id", "=", deliveryId)
    .where("status", "=", "pending")
    .execute();
}
