import { sql, type Kysely } from "kysely";

// Frozen: this file describes the schema as of its date and must not import application code.
//
// One row per upload (photo or reference video). Blob keys name bytes in the configured blob
// store; deleting hides the row at once (deleted_at) and a workflow removes the blobs, then
// sets blobs_deleted_at.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("assets")
    .addColumn("id", "uuid", (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("kind", "text", (col) => col.notNull().check(sql`kind in ('image', 'video')`))
    .addColumn("mime", "text", (col) => col.notNull())
    .addColumn("original_name", "text", (col) => col.notNull())
    .addColumn("width", "integer", (col) => col.notNull().check(sql`width > 0`))
    .addColumn("height", "integer", (col) => col.notNull().check(sql`height > 0`))
    .addColumn("duration_ms", "integer", (col) => col.check(sql`duration_ms > 0`))
    .addColumn("bytes", "bigint", (col) => col.notNull().check(sql`bytes > 0`))
    .addColumn("sha256", "text", (col) => col.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn("storage_driver", "text", (col) => col.notNull())
    .addColumn("original_key", "text", (col) => col.notNull())
    .addColumn("thumbnail_key", "text", (col) => col.notNull())
    .addColumn("poster_key", "text")
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("deleted_at", "timestamptz")
    .addColumn("blobs_deleted_at", "timestamptz")
    .addCheckConstraint("assets_video_has_duration", sql`(kind = 'video') = (duration_ms is not null)`)
    .execute();
  await db.schema
    .createIndex("assets_user_created")
    .on("assets")
    .columns(["user_id", "created_at desc", "id desc"])
    .where(sql.ref("deleted_at"), "is", null)
    .execute();
  // The blob route looks a key up to check it still belongs to a live asset.
  for (const column of ["original_key", "thumbnail_key", "poster_key"]) {
    await db.schema.createIndex(`assets_${column}`).on("assets").column(column).execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("assets").execute();
}
