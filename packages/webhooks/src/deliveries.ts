import { AppError } from "@animateimg/core";
import type { WebhookDeliveryStatus, WebhookEventType, Executor } from "@animateimg/db";
import { eventTypeForStatus, generationEventId, generationEventPayload } from "./events";

// The delivery log: which event went (or goes) to which endpoint, and each HTTP attempt.

export interface PlannedDelivery {
  deliveryId: string;
  eventId: string;
  endpointId: string;
}

const terminal = new Set(["succeeded", "failed", "canceled"]);

/**
 * Records a finished generation's event (once: its id is derived from generation and type)
 * and a delivery to each of the owner's enabled endpoints subscribed to that type (once per
 * endpoint). Returns every automatic delivery of the event still pending, so a caller that
 * crashed between recording and starting can simply call again.
 */
export async function recordGenerationEvent(
  db: Executor,
  input: { generationId: string; apiBaseUrl: string; now?: Date },
): Promise<{ eventId: string | null; deliveries: PlannedDelivery[] }> {
  const row = await db
    .selectFrom("generations")
    .select([
      "id",
      "user_id",
      "status",
      "private",
      "model_id",
      "prompt",
      "failure_reason",
      "price_credits",
      "output_duration_ms",
      "output_width",
      "output_height",
      "output_bytes",
      "output_video_key",
      "created_at",
      "finished_at",
      "api_key_id",
    ])
    .where("id", "=", input.generationId)
    .executeTakeFirst();
  if (!row || !terminal.has(row.status)) return { eventId: null, deliveries: [] };
  const status = row.status as "succeeded" | "failed" | "canceled";
  const type = eventTypeForStatus(status);
  const eventId = generationEventId(row.id, type);
  const hasOutput =
    status === "succeeded" && row.output_video_key !== null && row.output_width !== null && row.output_height !== null;
  const payload = generationEventPayload(
    {
      id: row.id,
      status,
      private: row.private,
      modelId: row.model_id,
      prompt: row.prompt,
      failureReason: row.failure_reason,
      priceCredits: row.price_credits,
      output: hasOutput
        ? {
            durationMs: row.output_duration_ms ?? 0,
            width: row.output_width ?? 0,
            height: row.output_height ?? 0,
            bytes: row.output_bytes ?? 0,
          }
        : null,
      createdAt: row.created_at,
      finishedAt: row.finished_at,
      apiKeyId: row.api_key_id,
    },
    { type, at: input.now ?? new Date(), apiBaseUrl: input.apiBaseUrl },
  );
  await db
    .insertInto("webhook_events")
    .values({ id: eventId, user_id: row.user_id, type, generation_id: row.id, payload: JSON.stringify(payload) })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
  const endpoints = await db
    .selectFrom("webhook_endpoints")
    .select("id")
    .where("user_id", "=", row.user_id)
    .where("enabled", "=", true)
    .where((eb) => eb(eb.val(type), "=", eb.fn.any("events")))
    .execute();
  if (endpoints.length > 0) {
    await db
      .insertInto("webhook_deliveries")
      .values(endpoints.map((endpoint) => ({ user_id: row.user_id, event_id: eventId, endpoint_id: endpoint.id })))
      .onConflict((oc) => oc.columns(["event_id", "endpoint_id"]).where("manual", "=", false).doNothing())
      .execute();
  }
  const deliveries = await db
    .selectFrom("webhook_deliveries")
    .select(["id", "endpoint_id"])
    .where("event_id", "=", eventId)
    .where("manual", "=", false)
    .where("status", "=", "pending")
    .execute();
  return { eventId, deliveries: deliveries.map((d) => ({ deliveryId: d.id, eventId, endpointId: d.endpoint_id })) };
}

/** What one attempt needs: the endpoint as it is now (it may have changed or gone) and the exact body. */
export async function loadDeliveryForAttempt(db: Executor, deliveryId: string) {
  return db
    .selectFrom("webhook_deliveries as d")
    .innerJoin("webhook_events as e", "e.id", "d.event_id")
    .innerJoin("webhook_endpoints as p", "p.id", "d.endpoint_id")
    .innerJoin("users as u", "u.id", "d.user_id")
    .select([
      "d.id as deliveryId",
      "d.status",
      "d.manual",
      "d.user_id as userId",
      "e.id as eventId",
      "e.payload",
      "p.id as endpointId",
      "p.url",
      "p.secret",
      "p.enabled",
      "p.failing_since as failingSince",
      "u.email as ownerEmail",
      "u.name as ownerName",
      "u.locale as ownerLocale",
    ])
    .where("d.id", "=", deliveryId)
    .executeTakeFirst();
}

export interface DeliveryAttemptView {
  attemptNo: number;
  statusCode: number | null;
  durationMs: number;
  errorClass: string | null;
  attemptedAt: Date;
}

export interface DeliveryView {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: WebhookEventType;
  generationId: string | null;
  manual: boolean;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  finishedAt: Date | null;
  attemptLog: DeliveryAttemptView[];
}

/** The owner's deliveries to one endpoint, newest first, each with its attempts. */
export async function listDeliveries(
  db: Executor,
  input: { userId: string; endpointId: string; limit?: number },
): Promise<DeliveryView[]> {
  const rows = await db
    .selectFrom("webhook_deliveries as d")
    .innerJoin("webhook_events as e", "e.id", "d.event_id")
    .select([
      "d.id",
      "d.endpoint_id",
      "d.event_id",
      "e.type",
      "e.generation_id",
      "d.manual",
      "d.status",
      "d.attempts",
      "d.last_status_code",
      "d.next_attempt_at",
      "d.created_at",
      "d.finished_at",
    ])
    .where("d.user_id", "=", input.userId)
    .where("d.endpoint_id", "=", input.endpointId)
    .orderBy("d.created_at", "desc")
    .orderBy("d.id")
    .limit(Math.min(Math.max(input.limit ?? 50, 1), 100))
    .execute();
  const attempts =
    rows.length === 0
      ? []
      : await db
          .selectFrom("webhook_delivery_attempts")
          .select(["delivery_id", "attempt_no", "status_code", "duration_ms", "error_class", "attempted_at"])
          .where(
            "delivery_id",
            "in",
            rows.map((row) => row.id),
          )
          .orderBy("attempt_no")
          .execute();
  return rows.map((row) => ({
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.type,
    generationId: row.generation_id,
    manual: row.manual,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    attemptLog: attempts
      .filter((attempt) => attempt.delivery_id === row.id)
      .map((attempt) => ({
        attemptNo: attempt.attempt_no,
        statusCode: attempt.status_code,
        durationMs: attempt.duration_ms,
        errorClass: attempt.error_class,
        attemptedAt: attempt.attempted_at,
      })),
  }));
}

/**
 * A manual resend: a new delivery of the same event (same webhook-id, so a receiver that
 * already has it can tell) to the same endpoint. Only the owner's, only to an enabled endpoint.
 */
export async function createManualResend(
  db: Executor,
  input: { userId: string; deliveryId: string; endpointId?: string },
): Promise<PlannedDelivery> {
  const notFound = new AppError("NOT_FOUND", "That delivery was not found. Its endpoint may have been deleted.", {
    reason: "delivery_not_found",
  });
  if (!/^[0-9a-f-]{36}$/i.test(input.deliveryId)) throw notFound;
  const original = await db
    .selectFrom("webhook_deliveries as d")
    .innerJoin("webhook_endpoints as p", "p.id", "d.endpoint_id")
    .select(["d.event_id", "d.endpoint_id", "p.enabled"])
    .where("d.id", "=", input.deliveryId)
    .where("d.user_id", "=", input.userId)
    .$if(input.endpointId !== undefined, (query) => query.where("d.endpoint_id", "=", input.endpointId!))
    .executeTakeFirst();
  if (!original) throw notFound;
  if (!original.enabled) {
    throw new AppError("CONFLICT", "This endpoint is turned off. Turn it on before resending.", {
      reason: "webhook_endpoint_disabled",
    });
  }
  const created = await db
    .insertInto("webhook_deliveries")
    .values({ user_id: input.userId, event_id: original.event_id, endpoint_id: original.endpoint_id, manual: true })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { deliveryId: created.id, eventId: original.event_id, endpointId: original.endpoint_id };
}

/**
 * Removes the events about these generations with their deliveries and attempt log (foreign
 * keys): a shared generation's event carries its prompt, so once the generation itself is
 * removed for good (the retention sweep, after its deletion) its events go too. A delivery still
 * retrying then finds nothing to send and ends.
 */
export async function eraseGenerationWebhookEvents(
  db: Executor,
  options: { generationIds: readonly string[] },
): Promise<number> {
  if (options.generationIds.length === 0) return 0;
  const result = await db
    .deleteFrom("webhook_events")
    .where("generation_id", "in", [...options.generationIds])
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
