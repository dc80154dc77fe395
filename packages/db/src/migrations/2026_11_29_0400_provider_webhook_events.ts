import { sql, type Kysely } from "kysely";

// Frozen: this file describes the schema as of its date and must not import application code.
// One row per provider callback delivery we acted on, so a repeated delivery (providers retry,
// and some send duplicates) signals the generation workflow once. The key is the provider's own
// delivery id where it sends one, else a hash of the body. Rows are only useful for as long as a
// provider may retry (hours); the received_at index lets a sweep delete old ones.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("provider_webhook_events")
    .addColumn("provider", "text", (col) => col.notNull())
    .addColumn("delivery_key", "text", (col) => col.notNull())
    .addColumn("provider_job_id", "text", (col) => col.notNull())
    .addColumn("received_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("provider_webhook_events_pkey", ["provider", "delivery_key"])
    .execute();
  await sql`create index provider_webhook_events_received_at_idx on provider_webhook_events (received_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("provider_webhook_events").execute();
}
