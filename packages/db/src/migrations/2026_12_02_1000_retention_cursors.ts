import { sql, type Kysely } from "kysely";

// Frozen: this file describes the schema as of its date and must not import application code.
// Where a retention class that walks a listing (stored files) stopped when a sweep reached its
// bound, so the next hourly sweep continues there instead of starting over (issue 12).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("retention_cursors")
    .addColumn("class_id", "text", (col) => col.primaryKey())
    .addColumn("cursor", "text", (col) => col.notNull())
    .addColumn("updated_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("retention_cursors").execute();
}
