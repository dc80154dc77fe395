// What the workflow's activities read from a generation to run it. These read across the
// generation's own uploads (`assets`) in the same statement where the join is what makes the
// read safe: the upload must belong to the generation's owner, checked in SQL.
import type { Executor, GenerationStatus } from "@animateimg/db";

export interface GenerationPlanRow {
  userId: string;
  modelId: string;
  priceCredits: number;
  status: GenerationStatus;
}

/** What the workflow needs to plan the run; undefined when the generation does not exist. */
export async function findGenerationPlan(db: Executor, generationId: string): Promise<GenerationPlanRow | undefined> {
  const row = await db
    .selectFrom("generations")
    .select(["user_id", "model_id", "price_credits", "status"])
    .where("id", "=", generationId)
    .executeTakeFirst();
  return row && { userId: row.user_id, modelId: row.model_id, priceCredits: row.price_credits, status: row.status };
}

/**
 * Locks the generation's row (FOR UPDATE) for the caller's transaction and returns what a
 * credit reservation checks: a generation that ended meanwhile must not be charged, and the
 * lock keeps it from ending while the reservation is written. Throws when it does not exist.
 */
export async function lockGenerationForReservation(
  trx: Executor,
  generationId: string,
): Promise<{ userId: string; priceCredits: number; status: GenerationStatus }> {
  const row = await trx
    .selectFrom("generations")
    .select(["user_id", "price_credits", "status"])
    .where("id", "=", generationId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { userId: row.user_id, priceCredits: row.price_credits, status: row.status };
}

export interface SubmitInputs {
  userId: string;
  modelId: string;
  prompt: string;
  params: Record<string, unknown>;
  imageAssetId: string;
  endFrameAssetId: string | null;
  referenceVideoAssetId: string | null;
}

/** The request a provider submit is built from; throws when the generation does not exist. */
export async function getSubmitInputs(db: Executor, generationId: string): Promise<SubmitInputs> {
  const row = await db
    .selectFrom("generations")
    .select([
      "model_id",
      "prompt",
      "params",
      "image_asset_id",
      "end_frame_asset_id",
      "reference_video_asset_id",
      "user_id",
    ])
    .where("id", "=", generationId)
    .executeTakeFirstOrThrow();
  return {
    userId: row.user_id,
    modelId: row.model_id,
    prompt: row.prompt,
    params: row.params,
    imageAssetId: row.image_asset_id,
    endFrameAssetId: row.end_frame_asset_id,
    referenceVideoAssetId: row.reference_video_asset_id,
  };
}

export interface RoutingInputs {
  modelId: string;
  params: Record<string, unknown>;
  prompt: string;
  endFrameAssetId: string | null;
  /** Length of the reference video, when there is one. */
  referenceDurationMs: number | null;
}

/** What route planning weighs: the model, its parameters and the media it was given. Throws when the generation does not exist. */
export async function getRoutingInputs(db: Executor, generationId: string): Promise<RoutingInputs> {
  const row = await db
    .selectFrom("generations")
    .leftJoin("assets as reference", "reference.id", "generations.reference_video_asset_id")
    .select([
      "generations.model_id",
      "generations.params",
      "generations.prompt",
      "generations.end_frame_asset_id",
      "reference.duration_ms as reference_duration_ms",
    ])
    .where("generations.id", "=", generationId)
    .executeTakeFirstOrThrow();
  return {
    modelId: row.model_id,
    params: row.params,
    prompt: row.prompt,
    endFrameAssetId: row.end_frame_asset_id,
    referenceDurationMs: row.reference_duration_ms,
  };
}

export interface RenderInputs {
  params: Record<string, unknown>;
  /** Set when an earlier try already stored the output. */
  outputVideoKey: string | null;
  /** The photo's blob, from the owner's own upload. */
  imageKey: string;
}

/** What the in-house engine renders from; undefined when the generation or its photo (of the same owner) is gone. */
export async function findRenderInputs(db: Executor, generationId: string): Promise<RenderInputs | undefined> {
  const row = await db
    .selectFrom("generations")
    .innerJoin("assets", (join) =>
      join.onRef("assets.id", "=", "generations.image_asset_id").onRef("assets.user_id", "=", "generations.user_id"),
    )
    .select(["generations.params", "generations.output_video_key", "assets.original_key"])
    .where("generations.id", "=", generationId)
    .executeTakeFirst();
  return row && { params: row.params, outputVideoKey: row.output_video_key, imageKey: row.original_key };
}

/** The stored output's blob keys of a deleted generation; null when it is not deleted (undo may have restored it). */
export async function findDeletedGenerationOutputKeys(db: Executor, generationId: string): Promise<string[] | null> {
  const row = await db
    .selectFrom("generations")
    .select(["output_video_key", "output_poster_key", "deleted_at"])
    .where("id", "=", generationId)
    .executeTakeFirst();
  if (!row?.deleted_at) return null;
  return [row.output_video_key, row.output_poster_key].filter((k): k is string => k !== null);
}

/** Forgets a deleted generation's output keys once its blobs are removed; a restored generation is left alone. */
export async function clearDeletedGenerationOutputKeys(db: Executor, generationId: string): Promise<void> {
  await db
    .updateTable("generations")
    .set({ output_video_key: null, output_poster_key: null, updated_at: new Date() })
    .where("id", "=", generationId)
    .where("deleted_at", "is not", null)
    .execute();
}
