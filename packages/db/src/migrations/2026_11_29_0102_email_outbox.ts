import { sql, type Kysely } from "kysely";

// Frozen: this file describes the schema as of its date and must not import application code.
// Where emails go when no SMTP server is configured (development, offline demos).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("email_outbox")
    .addColumn("id", "uuid", (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("to_address", "text", (col) => col.notNull())
    .addColumn("subject", "text", (col) => col.notNull())
    .addColumn("text_body", "text", (col) => col.notNull())
    .addColumn("html_body", "text", (col) => col.notNull())
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index email_outbox_created_at_idx on email_outbox (created_at desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("email_outbox").execute();
}
