// Records of messages in and out that only serve while a delivery can still be retried.
import { deleteOldProviderWebhookEvents } from "@animateimg/generations";
import { rowClass } from "../retention-class";
import { ago } from "../retention-settings";

export const oldProviderWebhookEvents = rowClass(
  "provider-webhook-events",
  "Provider callback delivery records (deduplication) older than RETENTION_PROVIDER_WEBHOOK_EVENTS_DAYS",
  ({ db, now, settings }, limit) =>
    deleteOldProviderWebhookEvents(db, { olderThan: ago.days(now, settings.providerWebhookEventsDays), limit }),
);

/**
 * Mail written to the outbox table (no SMTP server: development, offline demos). A row is the
 * message as delivered, addresses and links included; it is past its use once read.
 */
export const oldOutboxEmail = rowClass(
  "email-outbox",
  "Outbox email (delivered when no SMTP server is set) older than RETENTION_EMAIL_OUTBOX_DAYS",
  async ({ db, now, settings }, limit) => {
    const old = db
      .selectFrom("email_outbox")
      .select("id")
      .where("created_at", "<", ago.days(now, settings.emailOutboxDays))
      .limit(limit);
    const result = await db.deleteFrom("email_outbox").where("id", "in", old).executeTakeFirst();
    return Number(result.numDeletedRows);
  },
);
