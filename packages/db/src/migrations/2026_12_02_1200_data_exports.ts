import { sql, type Kysely } from "kysely";

// Frozen: this file describes the schema as of its date and must not import application code.
// Self-serve data export (issue 12, item 3): one row per archive a person asked for. The
// archive itself is a blob (blob_key) built by a Temporal workflow; the row carries its
// progress for Settings, and expires_at for the download window and the retention sweep.
// At most one export per person may be in flight (a partial unique index), so a double click
// or two tabs cannot start two archives.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("data_exports")
    .addColumn("id", "uuid", (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("status", "text", (col) =>
      col
        .notNull()
        .defaultTo("queued")
        .check(sql`status in ('queued', 'running', 'ready', 'failed', 'expired')`),
    )
    .addColumn("progress", "integer", (col) =>
      col
        .notNull()
        .defaultTo(0)
        .check(sql`progress between 0 and 100`),
    )
    .addColumn("blob_key", "text")
    .addColumn("storage_driver", "text")
    .addColumn("size_bytes", "bigint")
    .addColumn("error_code", "text")
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("started_at", "timestamptz")
    .addColumn("finished_at", "timestamptz")
    .addColumn("expires_at", "timestamptz")
    .addColumn("blob_deleted_at", "timestamptz")
    .addCheckConstraint(
      "data_exports_ready_has_blob",
      sql`status <> 'ready' or (blob_key is not null and expires_at is not null)`,
    )
    .execute();
  await sql`create unique index data_exports_one_in_flight_idx on data_exports (user_id) where status in ('queued', 'running')`.execute(
    db,
  );
  await sql`create index data_exports_user_created_idx on data_exports (user_id, created_at desc)`.execute(db);
  // The retention sweep looks for archives past their window whose blob is still stored.
  await sql`create index data_exports_expiry_idx on data_exports (expires_at) where blob_deleted_at is null and blob_key is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("data_exports").execute();
}
