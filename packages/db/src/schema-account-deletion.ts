import type { ColumnType, Selectable } from "kysely";

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type AccountDeletionReason = "self_service" | "child_report";
export type AccountDeletionStatus = "scheduled" | "erasing";

/** An account whose deletion is scheduled or under way (owned by @animateimg/account-deletion). */
export interface AccountDeletionRequestsTable {
  user_id: string;
  reason: AccountDeletionReason;
  status: ColumnType<AccountDeletionStatus, AccountDeletionStatus | undefined, AccountDeletionStatus>;
  requested_at: CreatedAt;
  /** The end of the grace period: erasure starts at or after this instant. */
  erase_after: ColumnType<Date, Date | string, Date | string>;
  /** The administrator who started a child-report deletion; null when the person asked. */
  requested_by: string | null;
  erasing_since: NullableTimestamp;
}

export type ProviderCopyOutcome = "deleted" | "not_supported" | "failed";

/** What became of a provider's copy of a deleted person's job (no user reference, by design). */
export interface ProviderCopyDeletionsTable {
  provider: string;
  provider_job_id: string;
  outcome: ProviderCopyOutcome;
  detail: string | null;
  recorded_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type AccountDeletionRequestRow = Selectable<AccountDeletionRequestsTable>;

export interface AccountDeletionTables {
  account_deletion_requests: AccountDeletionRequestsTable;
  provider_copy_deletions: ProviderCopyDeletionsTable;
}
