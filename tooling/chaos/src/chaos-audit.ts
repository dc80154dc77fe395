// The audit after every scenario: what a person and the books rely on, checked from Postgres,
// the blob folder, Temporal and the provider fakes' own count of the jobs they received.
import { readdirSync } from "node:fs";
import path from "node:path";
import { WorkflowNotFoundError } from "@temporalio/client";
import { ledgerViolations } from "@animateimg/billing/testing";
import { sql, type Db } from "@animateimg/db";
import type { FakeProviders } from "@animateimg/provider-fakes";
import type { Client } from "@temporalio/client";
import { generationWorkflowId } from "@animateimg/workflows/workflow-ids";

export interface AuditResult {
  started: number;
  succeeded: number;
  failed: number;
  canceled: number;
  stuck: number;
  /** Failed by our own infrastructure (not a refused create): must be 0. */
  failedByInfrastructure: number;
  /** Jobs the fakes created that we recorded nowhere (neither a job id nor an uncertain submit). */
  untrackedProviderJobs: number;
  /** Jobs beyond one per succeeded/failed attempt that we did record (uncertain submits). */
  uncertainProviderJobs: number;
  orphanBlobs: number;
  violations: string[];
}

export async function auditScenario(options: {
  db: Db;
  client: Client;
  fakes: FakeProviders;
  blobRoot: string;
  generationIds: string[];
  /** Failure reasons allowed in this scenario (e.g. start_failed for creates refused during a Temporal outage). */
  allowedFailureReasons: string[];
}): Promise<AuditResult> {
  const { db, generationIds } = options;
  const violations: string[] = [];
  const rows =
    generationIds.length === 0
      ? []
      : await db
          .selectFrom("generations")
          .select(["id", "status", "price_credits", "failure_reason", "output_video_key", "output_poster_key"])
          .where("id", "in", generationIds)
          .execute();
  const ledger =
    generationIds.length === 0
      ? []
      : await db
          .selectFrom("credit_ledger")
          .select(["generation_id", "kind", "amount"])
          .where("generation_id", "in", generationIds)
          .execute();
  const result: AuditResult = {
    started: rows.length,
    succeeded: 0,
    failed: 0,
    canceled: 0,
    stuck: 0,
    failedByInfrastructure: 0,
    untrackedProviderJobs: 0,
    uncertainProviderJobs: 0,
    orphanBlobs: 0,
    violations,
  };
  for (const row of rows) {
    const entries = ledger.filter((e) => e.generation_id === row.id);
    const net = entries.reduce((sum, e) => sum + e.amount, 0);
    const captures = entries.filter((e) => e.kind === "capture").length;
    if (row.status === "queued" || row.status === "running") {
      result.stuck += 1;
      violations.push(`${row.id}: still ${row.status}`);
      continue;
    }
    if (row.status === "succeeded") {
      result.succeeded += 1;
      if (captures !== 1 || net !== -row.price_credits)
        violations.push(
          `${row.id}: succeeded but charged ${-net} with ${captures} captures (price ${row.price_credits})`,
        );
      if (!row.output_video_key) violations.push(`${row.id}: succeeded without a stored output`);
    } else {
      if (row.status === "failed") result.failed += 1;
      else result.canceled += 1;
      if (net !== 0 || captures > 0)
        violations.push(`${row.id}: ${row.status} but the ledger nets ${net} (${captures} captures): unrefunded`);
      if (row.output_video_key || row.output_poster_key)
        violations.push(`${row.id}: ${row.status} but still has a servable output (free video)`);
      if (row.status === "failed" && !options.allowedFailureReasons.includes(row.failure_reason ?? "")) {
        result.failedByInfrastructure += 1;
        const attempts = await db
          .selectFrom("generation_attempts")
          .select(["attempt_no", "provider", "outcome", "error_kind"])
          .where("generation_id", "=", row.id)
          .orderBy("attempt_no")
          .execute();
        const trail = attempts
          .map((a) => `${a.attempt_no}:${a.provider} ${a.outcome}${a.error_kind ? `/${a.error_kind}` : ""}`)
          .join(", ");
        violations.push(`${row.id}: failed (${row.failure_reason ?? "no reason"}) after [${trail}]`);
      }
    }
    // No open workflow for a finished generation.
    try {
      const description = await options.client.workflow.getHandle(generationWorkflowId(row.id)).describe();
      if (description.status.name === "RUNNING")
        violations.push(`${row.id}: ${row.status} but its workflow is still open`);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }

  const negative = await db.selectFrom("credit_balances").select("user_id").where("available", "<", 0).execute();
  for (const n of negative) violations.push(`user ${n.user_id}: negative balance`);
  violations.push(...(await ledgerViolations(db)));

  // Every job the providers received is one we recorded (by id, or as an uncertain submit).
  const attempts = await db
    .selectFrom("generation_attempts")
    .select(["provider", "provider_job_id", "job_uncertain"])
    .execute();
  // A recorded id is the provider's own name for the job: the id itself, or a path ending in it
  // (Google's operation names, models/…/operations/<id>).
  const known = new Set(
    attempts.filter((a) => a.provider_job_id).map((a) => `${a.provider}:${a.provider_job_id!.split("/").pop()}`),
  );
  for (const provider of Object.keys(options.fakes.control.jobCounts())) {
    const jobs = options.fakes.control.jobs(provider as never);
    const unmatched = jobs.filter((j) => !known.has(`${provider}:${j.id}`)).length;
    const uncertain = attempts.filter((a) => a.provider === provider && a.job_uncertain).length;
    result.uncertainProviderJobs += Math.min(unmatched, uncertain);
    result.untrackedProviderJobs += Math.max(0, unmatched - uncertain);
  }
  if (result.untrackedProviderJobs > 0)
    violations.push(`${result.untrackedProviderJobs} provider jobs we caused are recorded nowhere`);

  // Orphan blobs: files in the store that no asset or generation refers to.
  const referenced = new Set(
    (
      await sql<{ key: string }>`
        select original_key as key from assets union select thumbnail_key from assets union select poster_key from assets where poster_key is not null
        union select output_video_key from generations where output_video_key is not null
        union select output_poster_key from generations where output_poster_key is not null`.execute(db)
    ).rows.map((r) => r.key),
  );
  for (const dir of safeReaddir(options.blobRoot)) {
    if (dir === "tmp") continue;
    for (const file of safeReaddir(path.join(options.blobRoot, dir)))
      if (!referenced.has(file)) result.orphanBlobs += 1;
  }
  if (result.orphanBlobs > 0) violations.push(`${result.orphanBlobs} orphan blobs`);
  return result;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
