export { createDb, inTransaction, type CreateDbOptions, type Db, type Executor } from "./client";
export { createMigrator, migrateToLatest, rollbackOne } from "./migrate";
export type { Database, NewUser, User, UserUpdate, UsersTable } from "./schema";
export type { EmailTokenKind, OAuthProviderName } from "./schema";
export type {
  AttemptOutcome,
  Generation,
  GenerationAttempt,
  GenerationStatus,
  LedgerEntry,
  LedgerKind,
  NewGeneration,
} from "./schema-generations";
export type { PaymentEvent, PaymentProcessorId, PaymentSubscription } from "./schema-payments";
export type { ApiKeyRow, ApiKeyScope, ApiKeysTable } from "./schema-developer-api";
export type { MarketingConsentChannel, PolicyAcceptanceRow, PolicyAcceptanceSource } from "./schema-privacy";
export type { DataExportRow, DataExportStatus, DataExportsTable } from "./schema-data-exports";
export type { WebhookDeliveryStatus, WebhookEndpointRow, WebhookEventType } from "./schema-webhooks";
export type { AssetKind, AssetRow, AssetsTable, NewAssetRow } from "./schema-assets";
export type {
  AccountDeletionReason,
  AccountDeletionRequestRow,
  AccountDeletionStatus,
  ProviderCopyOutcome,
} from "./schema-account-deletion";
export { sql, type ExpressionBuilder, type Kysely, type Transaction } from "kysely";
