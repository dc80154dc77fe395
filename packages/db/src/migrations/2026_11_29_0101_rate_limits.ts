import { sql, type Kysely } from "kysely";

// Frozen: this file describes the schema as of its date and must not import application code.
// Fixed-window counters shared by every process: one row per key, reset when its window ends.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("rate_limits")
    .addColumn("key", "text", (col) => col.primaryKey())
    .addColumn("count", "integer", (col) => col.notNull())
    .addColumn("window_ends_at", "timestamptz", (col) => col.notNull())
    .execute();
  await sql`create index rate_limits_window_ends_at_idx on rate_limits (window_ends_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("rate_limits").execute();
}
