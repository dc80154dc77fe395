import { sql, type Kysely } from "kysely";

// Frozen: this file describes the schema as of its date and must not import application code.
// - generations.restarts: how many times the reconciler started a generation's workflow again
//   (a generation found queued or running with no open workflow); past a bound it is failed and
//   refunded instead of restarted forever.
// - generation_attempts.submit_sent_at: set just before a submit request leaves; with no job id
//   beside it, the request may have created a job whose answer we never saw.
// - generation_attempts.job_uncertain: such a submit at a provider that cannot be searched by our
//   own id: a job may exist (and be billed) that we cannot name. Recorded, never resubmitted.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("generations")
    .addColumn("restarts", "integer", (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("generation_attempts").addColumn("submit_sent_at", "timestamptz").execute();
  await db.schema
    .alterTable("generation_attempts")
    .addColumn("job_uncertain", "boolean", (col) => col.notNull().defaultTo(false))
    .execute();
  // The reconciler's scan: active generations, oldest first.
  await sql`create index generations_active_created_idx on generations (created_at) where status in ('queued', 'running')`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists generations_active_created_idx`.execute(db);
  await db.schema.alterTable("generation_attempts").dropColumn("job_uncertain").execute();
  await db.schema.alterTable("generation_attempts").dropColumn("submit_sent_at").execute();
  await db.schema.alterTable("generations").dropColumn("restarts").execute();
}
