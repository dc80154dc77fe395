// The complete removal of generations the person deleted, once the undo window is over: the
// row (prompt, parameters, status) and, by their foreign keys, its attempt log. The ledger's
// rows stay for accounting: their generation reference turns to NULL (ON DELETE SET NULL, the
// one update the append-only trigger allows), amounts and kinds unchanged.
import type { Executor } from "@animateimg/db";

export interface DeletedGeneration {
  id: string;
  /** Its stored files still named by the row (output video and poster; usually already gone after the undo window). */
  blobKeys: string[];
  /** The uploads it was made from (start frame, end frame, reference video). */
  inputAssetIds: string[];
}

/**
 * Up to `limit` generations deleted before `deletedBefore` and settled (a deleted generation
 * still queued or running waits for its workflow to release or capture its credits). Run inside
 * the transaction that removes them: the rows are locked (FOR UPDATE), so an Undo racing the
 * removal waits and then finds nothing to restore; rows another sweep holds are skipped.
 */
export async function lockDeletedGenerations(
  trx: Executor,
  options: { deletedBefore: Date; limit: number },
): Promise<DeletedGeneration[]> {
  const rows = await trx
    .selectFrom("generations")
    .select([
      "id",
      "output_video_key",
      "output_poster_key",
      "image_asset_id",
      "end_frame_asset_id",
      "reference_video_asset_id",
    ])
    .where("deleted_at", "<", options.deletedBefore)
    .where("status", "in", ["succeeded", "failed", "canceled"])
    .orderBy("deleted_at")
    .limit(options.limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((row) => ({
    id: row.id,
    blobKeys: [row.output_video_key, row.output_poster_key].filter((key): key is string => key !== null),
    inputAssetIds: [row.image_asset_id, row.end_frame_asset_id, row.reference_video_asset_id].filter(
      (id): id is string => id !== null,
    ),
  }));
}

/**
 * Deletes these generation rows if they are still deleted (the attempt log goes with them).
 * Returns how many went.
 */
export async function eraseDeletedGenerationRows(
  trx: Executor,
  options: { generationIds: readonly string[] },
): Promise<number> {
  if (options.generationIds.length === 0) return 0;
  const result = await trx
    .deleteFrom("generations")
    .where("id", "in", [...options.generationIds])
    .where("deleted_at", "is not", null)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
