// Tables declared by augmentation of Database (see the file): schema-retention.
import "./schema-retention";
import type { GenerationTables } from "./schema-generations";
import type { AssetTables } from "./schema-assets";
import type { ProviderWebhookTables } from "./schema-provider-webhooks";
import type { PaymentTables } from "./schema-payments";
import type { DeveloperApiTables } from "./schema-developer-api";
import type { PrivacyTables } from "./schema-privacy";
import type { AccountDeletionTables } from "./schema-account-deletion";
import type { DataExportTables } from "./schema-data-exports";
import type { WebhookTables } from "./schema-webhooks";
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** Timestamps are written by the database (`now()`) and read back as Date. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string | null;
  role: Generated<"user" | "admin">;
  email_verified_at: Date | null;
  avatar_url: ColumnType<string | null, string | null | undefined, string | null>;
  age_confirmed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The language of emails to the person. */
  locale: Generated<"en" | "es">;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface SessionsTable {
  id: string;
  secret_hash: Uint8Array;
  user_id: string;
  created_at: CreatedAt;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  absolute_expires_at: ColumnType<Date, Date | string, never>;
  user_agent: string | null;
  ip: string | null;
}

export type EmailTokenKind = "verify_email" | "reset_password" | "change_email";

export interface EmailTokensTable {
  id: string;
  user_id: string;
  kind: EmailTokenKind;
  email: string;
  created_at: CreatedAt;
  expires_at: ColumnType<Date, Date | string, never>;
  used_at: ColumnType<Date | null, never, Date | string>;
}

export type OAuthProviderName = "github" | "google";

export interface OAuthAccountsTable {
  provider: OAuthProviderName;
  provider_user_id: string;
  user_id: string;
  email: string | null;
  created_at: CreatedAt;
}

export interface RateLimitsTable {
  key: string;
  count: number;
  window_ends_at: ColumnType<Date, Date | string, Date | string>;
}

export interface EmailOutboxTable {
  id: Generated<string>;
  kind: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  /** Extra headers the message carried (List-Unsubscribe on marketing mail). */
  headers: ColumnType<Record<string, string>, Record<string, string> | undefined, never>;
  created_at: CreatedAt;
}

export interface Database
  extends
    GenerationTables,
    AssetTables,
    ProviderWebhookTables,
    PaymentTables,
    DeveloperApiTables,
    PrivacyTables,
    AccountDeletionTables,
    DataExportTables,
    WebhookTables {
  users: UsersTable;
  sessions: SessionsTable;
  email_tokens: EmailTokensTable;
  oauth_accounts: OAuthAccountsTable;
  rate_limits: RateLimitsTable;
  email_outbox: EmailOutboxTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
