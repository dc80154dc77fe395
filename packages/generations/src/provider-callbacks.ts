// Persistence for provider callbacks (the intake is an HTTP handler in @animateimg/api): which
// generation owns a provider job (the attempts table), and which deliveries were already acted
// on (provider_webhook_events, deduplication only). Jobs no attempt names go to uncertain-jobs.ts.
import { sql, type Executor } from "@animateimg/db";

/** The generation whose latest attempt at `provider` got this job id, if any. */
export async function findGenerationIdForProviderJob(
  db: Executor,
  options: { provider: string; providerJobId: string },
): Promise<string | undefined> {
  const row = await db
    .selectFrom("generation_attempts")
    .select("generation_id")
    .where("provider", "=", options.provider)
    .where("provider_job_id", "=", options.providerJobId)
    .orderBy("started_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.generation_id;
}

/** True when this delivery is new; false when it was already recorded (a duplicate). */
export async function recordProviderWebhookDelivery(
  db: Executor,
  options: { provider: string; deliveryKey: string; providerJobId: string },
): Promise<boolean> {
  const inserted = await db
    .insertInto("provider_webhook_events")
    .values({ provider: options.provider, delivery_key: options.deliveryKey, provider_job_id: options.providerJobId })
    .onConflict((oc) => oc.columns(["provider", "delivery_key"]).doNothing())
    .returning("delivery_key")
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Unrecords a delivery that could not be acted on, so the provider's retry is not dropped as a duplicate. */
export async function forgetProviderWebhookDelivery(
  db: Executor,
  options: { provider: string; deliveryKey: string },
): Promise<void> {
  await db
    .deleteFrom("provider_webhook_events")
    .where("provider", "=", options.provider)
    .where("delivery_key", "=", options.deliveryKey)
    .execute();
}

/**
 * Deletes provider callback delivery records received before `olderThan` (deduplication only:
 * providers stop retrying within hours). `limit` bounds one call. Run by the retention sweep.
 */
export async function deleteOldProviderWebhookEvents(
  db: Executor,
  options: { olderThan: Date; limit?: number },
): Promise<number> {
  // No single-column key: rows are picked by their physical id within one statement.
  let old = db
    .selectFrom("provider_webhook_events")
    .select(sql<string>`ctid`.as("ctid"))
    .where("received_at", "<", options.olderThan);
  if (options.limit !== undefined) old = old.limit(options.limit);
  const result = await db
    .deleteFrom("provider_webhook_events")
    .where(sql<string>`ctid`, "in", old)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
