import { sql, type Kysely } from "kysely";

// Frozen: this file describes the schema as of its date and must not import application code.
// Accounts and sessions: profile columns on users, sessions (only a hash of the secret),
// single-use email tokens (verification, reset, email change) and linked OAuth accounts.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("users")
    .addColumn("avatar_url", "text")
    // When the person confirmed they are 13 or older (the service is not for children).
    .addColumn("age_confirmed_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("sessions")
    // The public half of the token; the secret half is stored only as its SHA-256.
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("secret_hash", "bytea", (col) => col.notNull())
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("last_seen_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (col) => col.notNull())
    .addColumn("absolute_expires_at", "timestamptz", (col) => col.notNull())
    .addColumn("user_agent", "text")
    .addColumn("ip", "text")
    .execute();
  await db.schema.createIndex("sessions_user_id_idx").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("email_tokens")
    // SHA-256 (hex) of the token sent by email; the token itself is never stored.
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("kind", "text", (col) =>
      col.notNull().check(sql`kind in ('verify_email', 'reset_password', 'change_email')`),
    )
    .addColumn("email", sql`citext`, (col) => col.notNull())
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (col) => col.notNull())
    .addColumn("used_at", "timestamptz")
    .execute();
  await db.schema.createIndex("email_tokens_user_id_idx").on("email_tokens").columns(["user_id", "kind"]).execute();

  await db.schema
    .createTable("oauth_accounts")
    .addColumn("provider", "text", (col) => col.notNull().check(sql`provider in ('github', 'google')`))
    .addColumn("provider_user_id", "text", (col) => col.notNull())
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("email", sql`citext`)
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("oauth_accounts_pkey", ["provider", "provider_user_id"])
    .addUniqueConstraint("oauth_accounts_user_provider_key", ["user_id", "provider"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("oauth_accounts").execute();
  await db.schema.dropTable("email_tokens").execute();
  await db.schema.dropTable("sessions").execute();
  await db.schema.alterTable("users").dropColumn("age_confirmed_at").dropColumn("avatar_url").execute();
}
