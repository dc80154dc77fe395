// What the reconciler needs from the generations table: generations that should have a
// workflow working on them, a count of how often one was started again, and the way out when
// restarting is no longer sensible (failed with a code, reservation released).
import { releaseCredits } from "@animateimg/billing";
import { inTransaction, type Db, type Executor, type GenerationStatus } from "@animateimg/db";
import { markFailed } from "./status-mirror";

export interface ActiveGeneration {
  id: string;
  status: GenerationStatus;
  createdAt: Date;
  restarts: number;
}

/** Queued or running generations created before `createdBefore`, oldest first. */
export async function listActiveGenerations(
  db: Db,
  options: { createdBefore: Date; limit: number },
): Promise<ActiveGeneration[]> {
  const rows = await db
    .selectFrom("generations")
    .select(["id", "status", "created_at", "restarts"])
    .where("status", "in", ["queued", "running"])
    .where("created_at", "<", options.createdBefore)
    .orderBy("created_at", "asc")
    .limit(options.limit)
    .execute();
  return rows.map((row) => ({ id: row.id, status: row.status, createdAt: row.created_at, restarts: row.restarts }));
}

export async function noteGenerationRestart(db: Db, generationId: string): Promise<void> {
  await db
    .updateTable("generations")
    .set((eb) => ({ restarts: eb("restarts", "+", 1), updated_at: new Date() }))
    .where("id", "=", generationId)
    .execute();
}

/**
 * Ends a generation no workflow will finish: releases whatever was reserved and marks it
 * failed with `reason` (a code the web app words). One transaction, so a refund never happens
 * without the status saying so. Returns the keys of an output it detached (the caller deletes them).
 */
export async function failAbandonedGeneration(
  db: Executor,
  generationId: string,
  reason: "abandoned" | "start_failed",
): Promise<string[]> {
  return inTransaction(db, async (trx) => {
    await releaseCredits(trx, { generationId });
    return markFailed(trx, generationId, { status: "failed", reason, statusDetail: { code: reason, params: {} } });
  });
}
