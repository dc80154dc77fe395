import { sql, type Kysely } from "kysely";

// Frozen: this file describes the schema as of its date and must not import application code.
// - provider_unclaimed_jobs: a provider called back about a job no attempt names. At a provider
//   we cannot search by our own id, that is how a job created by a submit whose answer was lost
//   shows itself; the reconciler confirms it with the provider, attaches it to an uncertain
//   attempt and stops it. `resolution`: attached | claimed (an attempt named it meanwhile) |
//   not_ours (the provider does not know it).
// - generation_attempts.uncertain_resolved_at / uncertain_resolution: how an uncertain submit
//   was settled: job_found (its job was identified, recorded and stopped) or unseen (no job
//   showed itself within the provider's retention: nothing left to stop or be billed for).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("provider_unclaimed_jobs")
    .addColumn("provider", "text", (col) => col.notNull())
    .addColumn("provider_job_id", "text", (col) => col.notNull())
    .addColumn("first_seen_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("resolved_at", "timestamptz")
    .addColumn("resolution", "text")
    .addColumn("attempt_id", "uuid", (col) => col.references("generation_attempts.id").onDelete("set null"))
    .addPrimaryKeyConstraint("provider_unclaimed_jobs_pk", ["provider", "provider_job_id"])
    .execute();
  await sql`create index provider_unclaimed_jobs_open_idx on provider_unclaimed_jobs (first_seen_at) where resolved_at is null`.execute(
    db,
  );
  await db.schema.alterTable("generation_attempts").addColumn("uncertain_resolved_at", "timestamptz").execute();
  await db.schema.alterTable("generation_attempts").addColumn("uncertain_resolution", "text").execute();
  // The reconciler's scan: uncertain submits not yet settled, oldest first.
  await sql`create index generation_attempts_uncertain_open_idx on generation_attempts (provider, submit_sent_at) where job_uncertain and uncertain_resolved_at is null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists generation_attempts_uncertain_open_idx`.execute(db);
  await db.schema.alterTable("generation_attempts").dropColumn("uncertain_resolution").execute();
  await db.schema.alterTable("generation_attempts").dropColumn("uncertain_resolved_at").execute();
  await db.schema.dropTable("provider_unclaimed_jobs").execute();
}
