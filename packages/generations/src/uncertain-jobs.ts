// Settling submits whose answer was lost at providers we cannot search by our own id (Kie, fal,
// Google). Such a submit is recorded as uncertain and never sent again; what remains is to learn
// whether it made a job. The provider tells us by calling back about a job no attempt names: the
// callback intake records it here as unclaimed, and the reconciler attaches it to an uncertain
// attempt of that provider (after confirming it with the provider) and stops it. Uncertain
// submits no job ever showed itself for are closed as unseen once the provider would have called.
import { sql, type Db } from "@animateimg/db";

export interface UnclaimedProviderJob {
  provider: string;
  providerJobId: string;
  firstSeenAt: Date;
}

export interface OpenUncertainAttempt {
  id: string;
  generationId: string;
  attemptNo: number;
  modelId: string;
  submitSentAt: Date | null;
}

/** A callback named a job no attempt knows: remember it for the reconciler (idempotent). */
export async function recordUnclaimedProviderJob(
  db: Db,
  job: { provider: string; providerJobId: string },
): Promise<void> {
  await db
    .insertInto("provider_unclaimed_jobs")
    .values({ provider: job.provider, provider_job_id: job.providerJobId })
    .onConflict((oc) => oc.columns(["provider", "provider_job_id"]).doNothing())
    .execute();
}

export async function listOpenUnclaimedJobs(db: Db, options: { limit: number }): Promise<UnclaimedProviderJob[]> {
  const rows = await db
    .selectFrom("provider_unclaimed_jobs")
    .select(["provider", "provider_job_id", "first_seen_at"])
    .where("resolved_at", "is", null)
    .orderBy("first_seen_at")
    .limit(options.limit)
    .execute();
  return rows.map((r) => ({ provider: r.provider, providerJobId: r.provider_job_id, firstSeenAt: r.first_seen_at }));
}

export async function resolveUnclaimedJob(
  db: Db,
  job: { provider: string; providerJobId: string; resolution: "attached" | "claimed" | "not_ours"; attemptId?: string },
): Promise<void> {
  await db
    .updateTable("provider_unclaimed_jobs")
    .set({ resolved_at: sql<Date>`now()`, resolution: job.resolution, attempt_id: job.attemptId ?? null })
    .where("provider", "=", job.provider)
    .where("provider_job_id", "=", job.providerJobId)
    .where("resolved_at", "is", null)
    .execute();
}

/** Whether an attempt already names this job (its answer was merely late, or a lookup found it). */
export async function attemptNamesJob(db: Db, job: { provider: string; providerJobId: string }): Promise<boolean> {
  const row = await db
    .selectFrom("generation_attempts")
    .select("id")
    .where("provider", "=", job.provider)
    .where("provider_job_id", "=", job.providerJobId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The uncertain submit a job that showed itself at `seenAt` most likely came from: the oldest
 * still-open one at that provider sent before it. When several are open at once the pairing is by
 * order, not proof; either way each job found settles exactly one uncertain submit, so the count
 * of jobs we may be billed for stays exact.
 */
export async function oldestOpenUncertainAttempt(
  db: Db,
  options: { provider: string; sentBefore: Date },
): Promise<OpenUncertainAttempt | undefined> {
  const row = await db
    .selectFrom("generation_attempts as a")
    .innerJoin("generations as g", "g.id", "a.generation_id")
    .select(["a.id", "a.generation_id", "a.attempt_no", "g.model_id", "a.submit_sent_at"])
    .where("a.provider", "=", options.provider)
    .where("a.job_uncertain", "=", true)
    .where("a.provider_job_id", "is", null)
    .where("a.uncertain_resolved_at", "is", null)
    .where((eb) => eb.or([eb("a.submit_sent_at", "is", null), eb("a.submit_sent_at", "<=", options.sentBefore)]))
    .orderBy("a.submit_sent_at")
    .limit(1)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        generationId: row.generation_id,
        attemptNo: row.attempt_no,
        modelId: row.model_id,
        submitSentAt: row.submit_sent_at,
      }
    : undefined;
}

/** Records the job an uncertain submit made; false when that attempt was settled meanwhile. */
export async function attachJobToUncertainAttempt(
  db: Db,
  options: { attemptId: string; providerJobId: string },
): Promise<boolean> {
  const updated = await db
    .updateTable("generation_attempts")
    .set({
      provider_job_id: options.providerJobId,
      uncertain_resolved_at: sql<Date>`now()`,
      uncertain_resolution: "job_found",
    })
    .where("id", "=", options.attemptId)
    .where("provider_job_id", "is", null)
    .where("uncertain_resolved_at", "is", null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Closes uncertain submits sent before `sentBefore` that no job showed itself for; returns them by provider. */
export async function closeUnseenUncertainAttempts(
  db: Db,
  options: { sentBefore: Date },
): Promise<Record<string, number>> {
  const closed = await db
    .updateTable("generation_attempts")
    .set({ uncertain_resolved_at: sql<Date>`now()`, uncertain_resolution: "unseen" })
    .where("job_uncertain", "=", true)
    .where("provider_job_id", "is", null)
    .where("uncertain_resolved_at", "is", null)
    .where((eb) => eb.or([eb("submit_sent_at", "is", null), eb("submit_sent_at", "<", options.sentBefore)]))
    .returning("provider")
    .execute();
  const byProvider: Record<string, number> = {};
  for (const row of closed) byProvider[row.provider] = (byProvider[row.provider] ?? 0) + 1;
  return byProvider;
}
