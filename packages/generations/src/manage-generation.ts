import { randomUUID } from "node:crypto";
import { AppError } from "@animateimg/core";
import { releaseCredits } from "@animateimg/billing";
import type { Db } from "@animateimg/db";
import { markFailed } from "./status-mirror";
import type { ModelId } from "@animateimg/catalog";
import { createGeneration, type CreateGenerationDeps } from "./create-generation";
import { toGenerationView, type GenerationView } from "./generation-view";
import { getOwnGenerationRow } from "./read-generations";
import type { GenerationOrchestrator } from "./orchestrator";

const isFinished = (status: string) => status === "succeeded" || status === "failed" || status === "canceled";

/** Asks the workflow to stop. The workflow releases the credits and marks it canceled. */
export async function cancelGeneration(
  db: Db,
  options: { userId: string; generationId: string },
  orchestrator: GenerationOrchestrator,
): Promise<GenerationView> {
  const row = await getOwnGenerationRow(db, options);
  if (isFinished(row.status)) {
    throw new AppError(
      "CONFLICT",
      `This generation has already ${row.status === "succeeded" ? "finished" : row.status}.`,
      {
        reason: "generation_finished",
        params: { status: row.status },
      },
    );
  }
  const signalled = await orchestrator.requestCancel(row.id);
  if (!signalled) {
    // No workflow runs for it (it never started, or its run ended without settling): release
    // whatever a run may have reserved and close it, in one transaction.
    await db.transaction().execute(async (trx) => {
      await releaseCredits(trx, { generationId: row.id });
      await markFailed(trx, row.id, {
        status: "canceled",
        reason: "canceled",
        statusDetail: { code: "canceled", params: {} },
      });
    });
  }
  return toGenerationView(await getOwnGenerationRow(db, options));
}

/** A new generation with the same inputs (a new idempotency key unless the client gives one). */
export async function retryGeneration(
  db: Db,
  options: { userId: string; generationId: string; idempotencyKey?: string },
  deps: CreateGenerationDeps,
): Promise<GenerationView> {
  const row = await getOwnGenerationRow(db, options);
  const { generation } = await createGeneration(
    db,
    {
      userId: options.userId,
      modelId: row.model_id as ModelId,
      prompt: row.prompt,
      params: row.params,
      imageAssetId: row.image_asset_id,
      endFrameAssetId: row.end_frame_asset_id,
      referenceVideoAssetId: row.reference_video_asset_id,
      private: row.private,
      idempotencyKey: options.idempotencyKey ?? `retry:${row.id}:${randomUUID()}`,
      retryOf: row.id,
    },
    deps,
  );
  return generation;
}

/**
 * Hides it at once (every read filters deleted rows), stops it if it is still running, and
 * schedules the durable removal of its stored files.
 */
export async function deleteGeneration(
  db: Db,
  options: { userId: string; generationId: string },
  orchestrator: GenerationOrchestrator,
): Promise<void> {
  const row = await getOwnGenerationRow(db, options);
  await db
    .updateTable("generations")
    .set({ deleted_at: new Date(), private: true, updated_at: new Date() })
    .where("id", "=", row.id)
    .where("user_id", "=", options.userId)
    .execute();
  if (!isFinished(row.status)) await orchestrator.requestCancel(row.id);
  await orchestrator.scheduleOutputDeletion(row.id);
}

/** Undo for a delete, while its files still exist (the UI offers it for a few seconds). */
export async function restoreGeneration(
  db: Db,
  options: { userId: string; generationId: string },
): Promise<GenerationView> {
  const restored = await db
    .updateTable("generations")
    .set({ deleted_at: null, updated_at: new Date() })
    .where("id", "=", options.generationId)
    .where("user_id", "=", options.userId)
    .where("deleted_at", "is not", null)
    .where((eb) => eb.or([eb("output_video_key", "is not", null), eb("status", "!=", "succeeded")]))
    .returningAll()
    .executeTakeFirst();
  if (!restored)
    throw new AppError("NOT_FOUND", "That generation can no longer be restored.", {
      reason: "generation_not_restorable",
    });
  return toGenerationView(restored);
}

/** Private outputs never reach the public gallery; only succeeded ones can be made public. */
export async function setGenerationPrivate(
  db: Db,
  options: { userId: string; generationId: string; private: boolean },
): Promise<GenerationView> {
  const row = await getOwnGenerationRow(db, options);
  if (!options.private && row.status !== "succeeded") {
    throw new AppError("CONFLICT", "Only a finished video can be shared in the public gallery.", {
      reason: "share_needs_finished_video",
    });
  }
  const updated = await db
    .updateTable("generations")
    .set({ private: options.private, updated_at: new Date() })
    .where("id", "=", row.id)
    .where("user_id", "=", options.userId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toGenerationView(updated);
}
