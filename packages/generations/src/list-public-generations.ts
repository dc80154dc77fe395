import { decodeKeysetCursor, encodeKeysetCursor } from "@animateimg/core";
import type { Executor } from "@animateimg/db";
import { olderThanPosition } from "./keyset-page";

export interface PublicGenerationRow {
  id: string;
  modelId: string;
  prompt: string;
  videoKey: string;
  posterKey: string | null;
  durationMs: number | null;
  width: number | null;
  height: number | null;
  finishedAt: Date;
}

/**
 * The public gallery: finished, non-private, not deleted generations, newest first, keyset
 * paginated on (finished_at, id) — the order of the partial index `generations_gallery`.
 * Selects no column that could identify the author: the author's id never leaves this query.
 */
export async function listPublicGenerations(
  db: Executor,
  options: { limit: number; cursor?: string | null | undefined; modelId?: string | undefined },
): Promise<{ items: PublicGenerationRow[]; nextCursor: string | null }> {
  let query = db
    .selectFrom("generations")
    .select([
      "id",
      "model_id",
      "prompt",
      "output_video_key",
      "output_poster_key",
      "output_duration_ms",
      "output_width",
      "output_height",
      "finished_at",
    ])
    .where("private", "=", false)
    .where("status", "=", "succeeded")
    .where("deleted_at", "is", null)
    .where("output_video_key", "is not", null)
    .where("finished_at", "is not", null);
  if (options.modelId) query = query.where("model_id", "=", options.modelId);
  if (options.cursor) {
    const { at: finishedAt, id } = decodeKeysetCursor(options.cursor, "gallery");
    query = query.where((eb) => olderThanPosition(eb, "finished_at", { at: finishedAt, id }));
  }
  const rows = await query
    .orderBy("finished_at", "desc")
    .orderBy("id", "desc")
    .limit(options.limit + 1)
    .execute();
  const items = rows.slice(0, options.limit).map((row): PublicGenerationRow => ({
    id: row.id,
    modelId: row.model_id,
    prompt: row.prompt,
    videoKey: row.output_video_key!,
    posterKey: row.output_poster_key,
    durationMs: row.output_duration_ms,
    width: row.output_width,
    height: row.output_height,
    finishedAt: row.finished_at!,
  }));
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > options.limit && last ? encodeKeysetCursor({ at: last.finishedAt, id: last.id }) : null,
  };
}
