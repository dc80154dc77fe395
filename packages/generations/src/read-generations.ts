import { AppError, decodeKeysetCursor, encodeKeysetCursor } from "@animateimg/core";
import type { Db, Generation, GenerationStatus } from "@animateimg/db";
import type { ModelId } from "@animateimg/catalog";
import { toAttemptView, toGenerationView, type AttemptView, type GenerationView } from "./generation-view";
import { olderThanPosition } from "./keyset-page";

/** The caller's own generation, or NOT_FOUND (also for someone else's: we never confirm it exists). */
export async function getOwnGenerationRow(
  db: Db,
  options: { userId: string; generationId: string },
): Promise<Generation> {
  const row = await db
    .selectFrom("generations")
    .selectAll()
    .where("id", "=", options.generationId)
    .where("user_id", "=", options.userId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!row)
    throw new AppError("NOT_FOUND", "That generation was not found. It may have been deleted.", {
      reason: "generation_not_found",
    });
  return row;
}

export async function getGeneration(
  db: Db,
  options: { userId: string; generationId: string },
): Promise<GenerationView & { attempts: AttemptView[] }> {
  const row = await getOwnGenerationRow(db, options);
  const attempts = await db
    .selectFrom("generation_attempts")
    .selectAll()
    .where("generation_id", "=", row.id)
    .orderBy("attempt_no")
    .execute();
  return { ...toGenerationView(row), attempts: attempts.map(toAttemptView) };
}

export interface ListGenerationsOptions {
  userId: string;
  limit: number;
  /** Opaque cursor from the previous page. */
  cursor?: string | null;
  status?: GenerationStatus[];
  modelId?: ModelId[];
}

/** Newest first, keyset-paginated on (created_at, id) so pages never skip or repeat. */
export async function listGenerations(
  db: Db,
  options: ListGenerationsOptions,
): Promise<{ items: GenerationView[]; nextCursor: string | null }> {
  let query = db
    .selectFrom("generations")
    .selectAll()
    .where("user_id", "=", options.userId)
    .where("deleted_at", "is", null);
  if (options.status?.length) query = query.where("status", "in", options.status);
  if (options.modelId?.length) query = query.where("model_id", "in", options.modelId);
  if (options.cursor) {
    const { at: createdAt, id } = decodeKeysetCursor(options.cursor, "list");
    query = query.where((eb) => olderThanPosition(eb, "created_at", { at: createdAt, id }));
  }
  const rows = await query
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(options.limit + 1)
    .execute();
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    items: page.map(toGenerationView),
    nextCursor: rows.length > options.limit && last ? encodeKeysetCursor({ at: last.created_at, id: last.id }) : null,
  };
}
