// How long each kind of data is kept once it has no use, as the worker reads it from the
// environment. Defaults follow the privacy policy (packages/privacy/policy/privacy-policy.txt):
// it promises to keep uploads and videos "until you delete them" and names no other period, so
// everything else is kept only as long as it serves its purpose (see each setting).
import { z } from "zod";

export interface RetentionSettings {
  /** Dev/offline mail written to the outbox table (holds addresses and sign-in links). */
  emailOutboxDays: number;
  /** Provider callback delivery records (deduplication only). */
  providerWebhookEventsDays: number;
  /** Applied payment webhook events (the ledger keeps the accounting record). */
  paymentEventsDays: number;
  /** A generation the person deleted: its row, prompt, parameters and attempt log, after the undo window. */
  deletedGenerationsMinutes: number;
  /** A stored file no row refers to is removed once it is this old (an upload writes its file before its row). */
  unreferencedBlobHours: number;
}

/** The defaults, and why (README, "Retention"). */
export const defaultRetentionSettings: RetentionSettings = {
  // Long enough to read a message in development; the links in it expire within a day.
  emailOutboxDays: 7,
  // Providers stop retrying a callback within hours; a week covers any late redelivery.
  providerWebhookEventsDays: 7,
  // Processors redeliver an event for at most 30 days (Stripe keeps events 30 days); after
  // that the stored event only repeats what the ledger row (reference, amount, plan) records.
  paymentEventsDays: 30,
  // "Until you delete them": the Activity page offers Undo for 8 seconds and the files go after
  // 30 s; 10 minutes leaves a margin, and the hourly sweep removes the row within the next hour.
  deletedGenerationsMinutes: 10,
  // An upload or render writes its file moments before the row naming it; a day is far beyond that.
  unreferencedBlobHours: 24,
};

// An empty value (a copied .env.example line left blank) means the default, as elsewhere.
const positive = (fallback: number) =>
  z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.coerce.number().positive().default(fallback),
  );

/** Environment variables of the retention sweep (read by the worker). */
export const retentionEnv = z.object({
  RETENTION_EMAIL_OUTBOX_DAYS: positive(defaultRetentionSettings.emailOutboxDays),
  RETENTION_PROVIDER_WEBHOOK_EVENTS_DAYS: positive(defaultRetentionSettings.providerWebhookEventsDays),
  RETENTION_PAYMENT_EVENTS_DAYS: positive(defaultRetentionSettings.paymentEventsDays),
  RETENTION_DELETED_GENERATIONS_MINUTES: positive(defaultRetentionSettings.deletedGenerationsMinutes),
  RETENTION_UNREFERENCED_BLOB_HOURS: positive(defaultRetentionSettings.unreferencedBlobHours),
});

export function retentionSettingsFromEnv(env: z.infer<typeof retentionEnv>): RetentionSettings {
  return {
    emailOutboxDays: env.RETENTION_EMAIL_OUTBOX_DAYS,
    providerWebhookEventsDays: env.RETENTION_PROVIDER_WEBHOOK_EVENTS_DAYS,
    paymentEventsDays: env.RETENTION_PAYMENT_EVENTS_DAYS,
    deletedGenerationsMinutes: env.RETENTION_DELETED_GENERATIONS_MINUTES,
    unreferencedBlobHours: env.RETENTION_UNREFERENCED_BLOB_HOURS,
  };
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export const ago = {
  days: (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS),
  hours: (now: Date, hours: number) => new Date(now.getTime() - hours * HOUR_MS),
  minutes: (now: Date, minutes: number) => new Date(now.getTime() - minutes * MINUTE_MS),
};
