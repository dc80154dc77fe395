import { sql, type Kysely } from "kysely";

// Frozen: this file describes the schema as of its date and must not import application code.
// API keys for the developer API. A key is `aimg_<id>_<secret>`; like a session token, only
// the secret's SHA-256 is stored, so a database leak yields no usable key. Revoked keys stay
// (revoked_at) so usage per key remains readable. Generations remember the key that created
// them (null: the web app), for usage per key.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("api_keys")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("secret_hash", "bytea", (col) => col.notNull())
    .addColumn("scopes", sql`text[]`, (col) => col.notNull())
    .addColumn("requests_per_minute", "integer", (col) => col.notNull().check(sql`requests_per_minute > 0`))
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("last_used_at", "timestamptz")
    .addColumn("revoked_at", "timestamptz")
    .addCheckConstraint(
      "api_keys_scopes_known",
      sql`scopes <@ array['read','generate']::text[] and cardinality(scopes) > 0`,
    )
    .execute();
  await db.schema.createIndex("api_keys_user_idx").on("api_keys").columns(["user_id", "created_at"]).execute();

  await db.schema
    .alterTable("generations")
    .addColumn("api_key_id", "text", (col) => col.references("api_keys.id").onDelete("set null"))
    .execute();
  await sql`create index generations_api_key_idx on generations (api_key_id) where api_key_id is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("generations").dropColumn("api_key_id").execute();
  await db.schema.dropTable("api_keys").execute();
}
