import type { ColumnType } from "kysely";

/** Provider callback deliveries already acted on (deduplication), keyed by provider + delivery key. */
export interface ProviderWebhookEventsTable {
  provider: string;
  /** `id:<provider delivery id>` or `sha256:<hex of the body>`. */
  delivery_key: string;
  provider_job_id: string;
  received_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface ProviderWebhookTables {
  provider_webhook_events: ProviderWebhookEventsTable;
}
