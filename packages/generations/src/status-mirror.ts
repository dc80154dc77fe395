// Writes the workflow's activities make so that Postgres mirrors the workflow's state (the
// UI and lists read from here). Each write is guarded so a late or repeated activity
// (retries, a worker killed mid-way) can never move a finished generation backwards.
import type { Status } from "@animateimg/core";
import { sql, type Executor, type GenerationStatus } from "@animateimg/db";
import { englishStatus } from "./status-words";

const active: GenerationStatus[] = ["queued", "running"];

/**
 * The columns a status is stored in: the code and its parameters (what the web app words), and
 * the English sentence beside them for API clients and SQL readers. A bare string comes from an
 * activity scheduled by a workflow run recorded before statuses were codes: kept as it is.
 */
export function statusColumns(status: Status | string | null): {
  status_code: string | null;
  status_params: string | null;
  status_message: string | null;
} {
  if (status === null || typeof status === "string")
    return { status_code: null, status_params: null, status_message: status };
  return {
    status_code: status.code,
    status_params: JSON.stringify(status.params),
    status_message: englishStatus(status),
  };
}

export async function markRunning(db: Executor, generationId: string, status: Status | string): Promise<void> {
  await db
    .updateTable("generations")
    .set({ status: "running", ...statusColumns(status), started_at: new Date(), updated_at: new Date() })
    .where("id", "=", generationId)
    .where("status", "in", active)
    .execute();
}

export async function recordProgress(
  db: Executor,
  generationId: string,
  update: { progress: number; status?: Status; queuePosition?: number | null },
): Promise<void> {
  await db
    .updateTable("generations")
    .set({
      progress: Math.max(0, Math.min(1, update.progress)),
      queue_position: update.queuePosition ?? null,
      ...(update.status ? statusColumns(update.status) : {}),
      updated_at: new Date(),
    })
    .where("id", "=", generationId)
    .where("status", "in", active)
    .execute();
}

export interface StoredOutput {
  videoKey: string;
  posterKey: string;
  durationMs: number;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
}

/**
 * Records a stored output on a generation that is still active. False when it is not (canceled
 * or failed meanwhile): the caller removes the blobs, a finished generation never gains an output.
 */
export async function recordOutput(db: Executor, generationId: string, output: StoredOutput): Promise<boolean> {
  const result = await db
    .updateTable("generations")
    .set({
      output_video_key: output.videoKey,
      output_poster_key: output.posterKey,
      output_duration_ms: output.durationMs,
      output_width: output.width,
      output_height: output.height,
      output_bytes: output.bytes,
      output_sha256: output.sha256,
      updated_at: new Date(),
    })
    .where("id", "=", generationId)
    .where("status", "in", active)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function markSucceeded(db: Executor, generationId: string, status: Status | string): Promise<void> {
  await db
    .updateTable("generations")
    .set({
      status: "succeeded",
      progress: 1,
      queue_position: null,
      ...statusColumns(status),
      failure_reason: null,
      finished_at: new Date(),
      updated_at: new Date(),
    })
    .where("id", "=", generationId)
    .where("status", "in", active)
    .execute();
}

/**
 * Ends an active generation as failed or canceled. Settlement decides once: an output stored
 * before the end (a cancel at 99 %) is detached in the same UPDATE, so it is never served, and
 * its keys are returned for the caller to delete. Empty when nothing was stored or the
 * generation had already ended.
 */
export async function markFailed(
  db: Executor,
  generationId: string,
  /**
   * `statusDetail`: what the owner is told, as a code. `message` only from activities scheduled
   * by workflow runs recorded before codes (an English sentence, kept as it is).
   */
  outcome: { status: "failed" | "canceled"; reason: string; statusDetail?: Status | null; message?: string | null },
): Promise<string[]> {
  const columns = statusColumns(outcome.statusDetail ?? outcome.message ?? null);
  // One statement: the row's previous keys come from the locked pre-image, the new row has none.
  const result = await sql<{ output_video_key: string | null; output_poster_key: string | null }>`
    update generations g
    set status = ${outcome.status}, failure_reason = ${outcome.reason}, status_message = ${columns.status_message},
        status_code = ${columns.status_code}, status_params = ${columns.status_params}::jsonb,
        queue_position = null, output_video_key = null, output_poster_key = null, finished_at = now(), updated_at = now()
    from (select id, output_video_key, output_poster_key from generations where id = ${generationId} for update) prev
    where g.id = prev.id and g.status in ('queued', 'running')
    returning prev.output_video_key, prev.output_poster_key`.execute(db);
  const row = result.rows[0];
  if (!row) return [];
  return [row.output_video_key, row.output_poster_key].filter((key): key is string => key !== null);
}

export async function startAttempt(
  db: Executor,
  options: { generationId: string; attemptNo: number; provider: string },
): Promise<void> {
  await db
    .insertInto("generation_attempts")
    .values({ generation_id: options.generationId, attempt_no: options.attemptNo, provider: options.provider })
    .onConflict((oc) => oc.constraint("generation_attempts_no").doNothing())
    .execute();
}

/** Persisted before waiting on the job: losing a provider's job id means paying twice. */
export async function recordProviderJobId(
  db: Executor,
  options: { generationId: string; attemptNo: number; providerJobId: string },
): Promise<void> {
  await db
    .updateTable("generation_attempts")
    .set({ provider_job_id: options.providerJobId })
    .where("generation_id", "=", options.generationId)
    .where("attempt_no", "=", options.attemptNo)
    .execute();
}

export async function finishAttempt(
  db: Executor,
  options: {
    generationId: string;
    attemptNo: number;
    outcome: "succeeded" | "failed" | "canceled" | "timed_out";
    errorKind?: string | null;
    errorMessage?: string | null;
    engineMs?: number | null;
  },
): Promise<void> {
  await db
    .updateTable("generation_attempts")
    .set({
      outcome: options.outcome,
      error_kind: options.errorKind ?? null,
      error_message: options.errorMessage ?? null,
      finished_at: sql<Date>`now()`,
      latency_ms: sql<number>`(extract(epoch from now() - started_at) * 1000)::int`,
      engine_ms: options.engineMs ?? null,
    })
    .where("generation_id", "=", options.generationId)
    .where("attempt_no", "=", options.attemptNo)
    .where("outcome", "=", "running")
    .execute();
}

/**
 * A submit request is about to leave: until its job id is recorded, the attempt may have
 * created a job we cannot name (the answer lost, or this worker killed mid-request).
 */
export async function recordSubmitSent(
  db: Executor,
  options: { generationId: string; attemptNo: number },
): Promise<void> {
  await db
    .updateTable("generation_attempts")
    .set({ submit_sent_at: sql<Date>`now()` })
    .where("generation_id", "=", options.generationId)
    .where("attempt_no", "=", options.attemptNo)
    .execute();
}

/** The provider refused the submit outright (4xx, 429): no job exists, a new submit is safe. */
export async function clearSubmitSent(
  db: Executor,
  options: { generationId: string; attemptNo: number },
): Promise<void> {
  await db
    .updateTable("generation_attempts")
    .set({ submit_sent_at: null })
    .where("generation_id", "=", options.generationId)
    .where("attempt_no", "=", options.attemptNo)
    .where("provider_job_id", "is", null)
    .execute();
}

/**
 * A submit that may have created a job at a provider that cannot be searched by our id: kept
 * on record (audits and reconciliation count it as a job we may be billed for), never resent.
 */
export async function recordUncertainJob(
  db: Executor,
  options: { generationId: string; attemptNo: number },
): Promise<void> {
  await db
    .updateTable("generation_attempts")
    .set({ job_uncertain: true })
    .where("generation_id", "=", options.generationId)
    .where("attempt_no", "=", options.attemptNo)
    .where("provider_job_id", "is", null)
    .execute();
}
