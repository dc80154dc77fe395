import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<Record<string, unknown>, string, string>;

export type GenerationStatus = "queued" | "running" | "succeeded" | "failed" | "canceled";

export interface GenerationsTable {
  id: Generated<string>;
  user_id: string;
  model_id: string;
  prompt: string;
  params: Json;
  image_asset_id: string;
  end_frame_asset_id: string | null;
  reference_video_asset_id: string | null;
  private: Generated<boolean>;
  status: Generated<GenerationStatus>;
  progress: Generated<number>;
  queue_position: number | null;
  status_message: string | null;
  failure_reason: string | null;
  price_credits: number;
  idempotency_key: string;
  /** SHA-256 of the normalized request; null on rows created before it was kept. */
  request_hash: ColumnType<string | null, string | null | undefined, string | null>;
  retry_of: string | null;
  /** The developer API key that created it; null when made in the web app. */
  api_key_id: ColumnType<string | null, string | null | undefined, string | null>;
  output_video_key: string | null;
  output_poster_key: string | null;
  output_duration_ms: number | null;
  output_width: number | null;
  output_height: number | null;
  output_bytes: number | null;
  output_sha256: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  deleted_at: NullableTimestamp;
  /** Times the reconciler started this generation's workflow again. */
  restarts: Generated<number>;
  /** The status as a code the web app words (see @animateimg/core's status codes); null on older rows. */
  status_code: ColumnType<string | null, string | null | undefined, string | null>;
  /** The code's parameters (JSON); null when it has none or on older rows. */
  status_params: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
}

export type AttemptOutcome = "running" | "succeeded" | "failed" | "canceled" | "timed_out";

export interface GenerationAttemptsTable {
  id: Generated<string>;
  generation_id: string;
  attempt_no: number;
  provider: string;
  provider_job_id: string | null;
  outcome: Generated<AttemptOutcome>;
  error_kind: string | null;
  error_message: string | null;
  started_at: CreatedAt;
  finished_at: NullableTimestamp;
  latency_ms: number | null;
  engine_ms: number | null;
  /** Set just before the submit request leaves; without a job id it may have created a job we cannot name. */
  submit_sent_at: NullableTimestamp;
  /** A submit that may have created a job at a provider we cannot search by our own id. */
  job_uncertain: Generated<boolean>;
  /** When an uncertain submit was settled by the reconciler (see uncertain_resolution). */
  uncertain_resolved_at: NullableTimestamp;
  /** job_found | unseen; null while the submit is still uncertain (or was never). */
  uncertain_resolution: string | null;
}

export interface CreditBalancesTable {
  user_id: string;
  available: Generated<number>;
  /** Credits a refund or dispute could not take back (they were spent); paid work waits while > 0. */
  owed: Generated<number>;
  updated_at: Timestamp;
}

export type LedgerKind = "grant" | "purchase" | "reserve" | "capture" | "release" | "refund" | "adjust" | "reversal";

export interface CreditLedgerTable {
  id: Generated<number>;
  /** NULL once the account was deleted: the row stays for accounting, anonymous. */
  user_id: ColumnType<string | null, string, never>;
  kind: LedgerKind;
  amount: number;
  generation_id: string | null;
  idempotency_key: string;
  reason: string | null;
  actor_user_id: ColumnType<string | null, string | null | undefined, never>;
  /** Money rows only (purchase, reversal): which processor, its reference, amount in minor units, currency, plan. */
  payment_processor: ColumnType<"stripe" | "creem" | null, "stripe" | "creem" | null | undefined, never>;
  payment_reference: ColumnType<string | null, string | null | undefined, never>;
  payment_amount: ColumnType<number | null, number | null | undefined, never>;
  payment_currency: ColumnType<string | null, string | null | undefined, never>;
  payment_plan: ColumnType<string | null, string | null | undefined, never>;
  created_at: CreatedAt;
}

export type Generation = Selectable<GenerationsTable>;
export type NewGeneration = Insertable<GenerationsTable>;
export type GenerationAttempt = Selectable<GenerationAttemptsTable>;
export type LedgerEntry = Selectable<CreditLedgerTable>;

export interface GenerationTables {
  generations: GenerationsTable;
  generation_attempts: GenerationAttemptsTable;
  credit_balances: CreditBalancesTable;
  credit_ledger: CreditLedgerTable;
}
