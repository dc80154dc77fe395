// One kind of data the retention sweep removes once it is past its use. Each class removes in
// bounded batches and is idempotent: a batch removes only what is already past retention, so a
// retried or overlapping call removes nothing twice and converges to zero.
import type { Db } from "@animateimg/db";
import type { BlobStore } from "@animateimg/storage";
import type { RetentionSettings } from "./retention-settings";

export interface RetentionContext {
  db: Db;
  blobStore: BlobStore;
  settings: RetentionSettings;
  /** The sweep's clock: fixed for one run of a class, so its batches agree on what is old. */
  now: Date;
}

export interface RetentionBatch {
  /** Items removed by this batch (rows, or files for storage classes). */
  removed: number;
  /** Where the next batch starts; null when nothing is left for this run. */
  cursor: string | null;
}

export interface RetentionClass {
  /** Stable id: the key of the sweep's result and of the activity that runs it. */
  id: string;
  /** What it removes and when, in a sentence (README, logs). */
  description: string;
  /**
   * Whether a run that stops at its bound saves its cursor for the next run (a class walking a
   * listing, such as stored files). Row classes need not: what they removed no longer matches.
   */
  keepsCursor?: boolean;
  /** Removes at most `limit` items past retention, starting at `cursor` (null: the beginning). */
  removeBatch(context: RetentionContext, options: { limit: number; cursor: string | null }): Promise<RetentionBatch>;
}

/**
 * A class whose batch is one bounded DELETE: done when a batch removes fewer than the limit
 * (no cursor needed, the removed rows no longer match).
 */
export function rowClass(
  id: string,
  description: string,
  deleteBatch: (context: RetentionContext, limit: number) => Promise<number>,
): RetentionClass {
  return {
    id,
    description,
    async removeBatch(context, { limit }) {
      const removed = await deleteBatch(context, limit);
      return { removed, cursor: removed < limit ? null : "more" };
    },
  };
}

export interface SweepOptions {
  /** Items per batch. Default 500. */
  batchSize?: number;
  /** Batches per run: bounds one run; the next hourly run continues. Default 200. */
  maxBatches?: number;
  /**
   * Resume from here (a retried activity passes its last heartbeat). Omitted: the beginning, or
   * for a class that keeps its cursor, where the previous run stopped.
   */
  cursor?: string | null;
  /** Already removed by an earlier attempt of this run (a retried activity's heartbeat). */
  removedBefore?: number;
  /** Called after every batch (the activity heartbeats with it). */
  onBatch?: (progress: { removed: number; cursor: string | null }) => void;
}

export interface SweepOutcome {
  removed: number;
  /** False when the run stopped at maxBatches with more to remove (the next run continues). */
  complete: boolean;
}

/** Runs one class in batches until it has nothing left or reaches the run's bound. */
export async function sweepRetentionClass(
  retentionClass: RetentionClass,
  context: RetentionContext,
  options: SweepOptions = {},
): Promise<SweepOutcome> {
  const limit = options.batchSize ?? 500;
  const maxBatches = options.maxBatches ?? 200;
  let removed = options.removedBefore ?? 0;
  const keepsCursor = retentionClass.keepsCursor === true;
  let cursor =
    options.cursor !== undefined
      ? options.cursor
      : keepsCursor
        ? await savedCursor(context.db, retentionClass.id)
        : null;
  for (let batch = 0; batch < maxBatches; batch++) {
    const result = await retentionClass.removeBatch(context, { limit, cursor });
    removed += result.removed;
    cursor = result.cursor;
    options.onBatch?.({ removed, cursor });
    if (cursor === null) break;
  }
  if (keepsCursor) await saveCursor(context.db, retentionClass.id, cursor);
  return { removed, complete: cursor === null };
}

async function savedCursor(db: Db, classId: string): Promise<string | null> {
  const row = await db
    .selectFrom("retention_cursors")
    .select("cursor")
    .where("class_id", "=", classId)
    .executeTakeFirst();
  return row?.cursor ?? null;
}

/** Null (the listing was walked to its end): the next run starts from the beginning. */
async function saveCursor(db: Db, classId: string, cursor: string | null): Promise<void> {
  if (cursor === null) {
    await db.deleteFrom("retention_cursors").where("class_id", "=", classId).execute();
    return;
  }
  await db
    .insertInto("retention_cursors")
    .values({ class_id: classId, cursor })
    .onConflict((oc) => oc.column("class_id").doUpdateSet({ cursor, updated_at: new Date() }))
    .execute();
}
