import type { ColumnType } from "kysely";

/** Provider callback deliveries already acted on (deduplication), keyed by provider + delivery key. */
export interface ProviderWebhookEventsTable {
  provider: string;
  /** `id:<provider delivery id>` or `sha256:<hex of the body>`. */
  delivery_key: string;
  provider_job_id: string;
  received_at: ColumnType<Date, Date | string | undefined, never>;
}

/** A job a provider called back about that no attempt names (see the 0600 migration). */
export interface ProviderUnclaimedJobsTable {
  provider: string;
  provider_job_id: string;
  first_seen_at: ColumnType<Date, Date | string | undefined, never>;
  resolved_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** attached | claimed | not_ours; null while open. */
  resolution: string | null;
  attempt_id: string | null;
}

export interface ProviderWebhookTables {
  provider_webhook_events: ProviderWebhookEventsTable;
  provider_unclaimed_jobs: ProviderUnclaimedJobsTable;
}
