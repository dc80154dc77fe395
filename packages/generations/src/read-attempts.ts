// What the provider activities read back from an attempt they (or an earlier try of theirs)
// started. An attempt is keyed by its generation and its number within the workflow run.
import type { Executor } from "@animateimg/db";

export interface AttemptKey {
  generationId: string;
  attemptNo: number;
}

export interface AttemptSubmitState {
  providerJobId: string | null;
  /** Set while a submit may be in flight: its answer was never recorded. */
  submitSentAt: Date | null;
  jobUncertain: boolean;
}

/** Where the attempt's submit stands; throws when the attempt was not started. */
export async function getAttemptSubmitState(db: Executor, key: AttemptKey): Promise<AttemptSubmitState> {
  const row = await db
    .selectFrom("generation_attempts")
    .select(["provider_job_id", "submit_sent_at", "job_uncertain"])
    .where("generation_id", "=", key.generationId)
    .where("attempt_no", "=", key.attemptNo)
    .executeTakeFirstOrThrow();
  return { providerJobId: row.provider_job_id, submitSentAt: row.submit_sent_at, jobUncertain: row.job_uncertain };
}

/** When the attempt first ran (its deadline counts from here); throws when it was not started. */
export async function getAttemptStartedAt(db: Executor, key: AttemptKey): Promise<Date> {
  const row = await db
    .selectFrom("generation_attempts")
    .select("started_at")
    .where("generation_id", "=", key.generationId)
    .where("attempt_no", "=", key.attemptNo)
    .executeTakeFirstOrThrow();
  return row.started_at;
}

/** Whether the attempt has a row yet: it is written when the attempt reaches its provider. */
export async function attemptHasStarted(db: Executor, key: AttemptKey): Promise<boolean> {
  const row = await db
    .selectFrom("generation_attempts")
    .select("id")
    .where("generation_id", "=", key.generationId)
    .where("attempt_no", "=", key.attemptNo)
    .executeTakeFirst();
  return row !== undefined;
}

/** The provider's job id for the attempt; null when it never got one (or never started). */
export async function findAttemptProviderJobId(db: Executor, key: AttemptKey): Promise<string | null> {
  const row = await db
    .selectFrom("generation_attempts")
    .select("provider_job_id")
    .where("generation_id", "=", key.generationId)
    .where("attempt_no", "=", key.attemptNo)
    .executeTakeFirst();
  return row?.provider_job_id ?? null;
}
