import type { ColumnType, Generated, Selectable } from "kysely";

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type WebhookEventType = "generation.succeeded" | "generation.failed" | "generation.canceled";
export type WebhookDeliveryStatus = "pending" | "succeeded" | "failed";

/** Outbound webhook endpoints of an account (owned by @animateimg/webhooks). */
export interface WebhookEndpointsTable {
  id: Generated<string>;
  user_id: string;
  url: string;
  description: ColumnType<string, string | undefined, string>;
  /** `whsec_<base64>`: kept to sign with, shown to the owner only when created. */
  secret: string;
  events: WebhookEventType[];
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  disabled_reason: ColumnType<
    "owner" | "failing" | null,
    "owner" | "failing" | null | undefined,
    "owner" | "failing" | null
  >;
  disabled_at: NullableTimestamp;
  failing_since: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface WebhookEventsTable {
  /** `msg_<…>`: the webhook-id header, the same on every retry and resend. */
  id: string;
  user_id: string;
  type: WebhookEventType;
  generation_id: string | null;
  /** The JSON body exactly as signed. */
  payload: string;
  created_at: CreatedAt;
}

export interface WebhookDeliveriesTable {
  id: Generated<string>;
  user_id: string;
  event_id: string;
  endpoint_id: string;
  manual: ColumnType<boolean, boolean | undefined, never>;
  status: ColumnType<WebhookDeliveryStatus, WebhookDeliveryStatus | undefined, WebhookDeliveryStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  last_status_code: ColumnType<number | null, number | null | undefined, number | null>;
  next_attempt_at: NullableTimestamp;
  created_at: CreatedAt;
  finished_at: NullableTimestamp;
}

export interface WebhookDeliveryAttemptsTable {
  id: Generated<string>;
  delivery_id: string;
  attempt_no: number;
  status_code: number | null;
  duration_ms: number;
  /** null on a 2xx; else http_status, timeout, connection, tls, refused_address, invalid_url. */
  error_class: string | null;
  attempted_at: CreatedAt;
}

export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;

export interface WebhookTables {
  webhook_endpoints: WebhookEndpointsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_delivery_attempts: WebhookDeliveryAttemptsTable;
}
