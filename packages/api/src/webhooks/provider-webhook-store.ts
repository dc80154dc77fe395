// Persistence for provider callbacks: which generation owns a provider job (the attempts
// table), and which deliveries were already acted on (provider_webhook_events).
import type { Db } from "@animateimg/db";

export async function findGenerationIdForProviderJob(db: Db, options: { provider: string; providerJobId: string }): Promise<string | undefined> {
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
export async function recordProviderWebhookDelivery(db: Db, options: { provider: string; deliveryKey: string; providerJobId: string }): Promise<boolean> {
  const inserted = await db
    .insertInto("provider_webhook_events")
    .values({ provider: options.provider, delivery_key: options.deliveryKey, provider_job_id: options.providerJobId })
    .onConflict((oc) => oc.columns(["provider", "delivery_key"]).doNothing())
    .returning("delivery_key")
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function forgetProviderWebhookDelivery(db: Db, options: { provider: string; deliveryKey: string }): Promise<void> {
  await db.deleteFrom("provider_webhook_events").where("provider", "=", options.provider).where("delivery_key", "=", options.deliveryKey).execute();
}

// Old delivery records are removed by the retention sweep (@animateimg/retention).
export { deleteOldProviderWebhookEvents } from "@animateimg/retention";
