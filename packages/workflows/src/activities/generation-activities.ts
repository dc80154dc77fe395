import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Context } from "@temporalio/activity";
import { ApplicationFailure, CancelledFailure } from "@temporalio/common";
import { captureCredits, releaseCredits, reserveCredits } from "@animateimg/billing";
import { getModel, type ModelId } from "@animateimg/catalog";
import { isAppError, type Status } from "@animateimg/core";
import type { Db } from "@animateimg/db";
import {
  clearDeletedGenerationOutputKeys,
  findDeletedGenerationOutputKeys,
  findGenerationPlan,
  findRenderInputs,
  finishAttempt,
  lockGenerationForReservation,
  markFailed,
  markRunning,
  markSucceeded,
  recordProgress,
  startAttempt,
} from "@animateimg/generations";
import type { BlobStore } from "@animateimg/storage";
import type { GenerationPlan, ReservationOutcome } from "../shared";
import { storeGenerationOutput } from "./store-generation-output";
import { activityLog } from "./activity-log";

/** The in-house engine's render call (from @animateimg/animate-engine), injected so tests can use the real one. */
export type RenderAnimation = (options: {
  inputPath: string;
  outputPath: string;
  posterPath: string;
  params: Record<string, unknown>;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}) => Promise<{ durationSeconds: number; width: number; height: number; bytes: number; renderMs: number }>;

export interface GenerationActivityDeps {
  db: Db;
  blobStore: BlobStore;
  renderAnimation: RenderAnimation;
  /** Where activities keep temporary files; each attempt uses its own folder, removed after. */
  scratchDir: string;
  /** How this worker names itself in logs. */
  workerIdentity?: string;
}

/** Reads a blob into a file, for tools (ffmpeg) that want a path. */
async function blobToFile(blobStore: BlobStore, key: string, file: string): Promise<void> {
  const read = await blobStore.get(key);
  if (!read) throw ApplicationFailure.nonRetryable(`input blob ${key} is missing`, "input_missing");
  const chunks: Uint8Array[] = [];
  for await (const chunk of read.body) chunks.push(chunk);
  await writeFile(file, Buffer.concat(chunks));
}

export function createGenerationActivities(deps: GenerationActivityDeps) {
  const { db } = deps;

  return {
    /** What the workflow needs to decide its route list; read once at the start. */
    async loadGenerationPlan(generationId: string): Promise<GenerationPlan> {
      const row = await findGenerationPlan(db, generationId);
      if (!row) throw ApplicationFailure.nonRetryable(`generation ${generationId} does not exist`, "not_found");
      const model = getModel(row.modelId as ModelId);
      return {
        userId: row.userId,
        modelId: model.id,
        modelLabel: model.label,
        priceCredits: row.priceCredits,
        status: row.status,
      };
    },

    async reserveGenerationCredits(generationId: string): Promise<ReservationOutcome> {
      try {
        return await db.transaction().execute(async (trx) => {
          // Locked and checked: a generation that ended before its run got here (its create
          // gave up on starting it, the reconciler failed it) is never charged.
          const row = await lockGenerationForReservation(trx, generationId);
          if (row.status !== "queued" && row.status !== "running") return { ok: false as const, message: row.status };
          await reserveCredits(trx, { userId: row.userId, generationId, amount: row.priceCredits });
          return { ok: true as const };
        });
      } catch (error) {
        // Not enough credits is an answer, not a fault: the workflow ends the generation.
        if (isAppError(error) && error.reason === "insufficient_credits") {
          return { ok: false, message: error.message, status: { code: "insufficient_credits", params: {} } };
        }
        if (isAppError(error) && error.reason === "credits_owed") {
          const owed = typeof error.params?.owed === "number" ? error.params.owed : 0;
          return { ok: false, message: error.message, status: { code: "credits_owed", params: { owed } } };
        }
        throw error;
      }
    },

    async captureGenerationCredits(generationId: string): Promise<string> {
      return captureCredits(db, { generationId });
    },

    async releaseGenerationCredits(generationId: string): Promise<string> {
      return releaseCredits(db, { generationId });
    },

    // A string status (an English sentence) comes from runs recorded before statuses were codes.
    async markGenerationRunning(generationId: string, status: Status | string): Promise<void> {
      await markRunning(db, generationId, status);
    },

    async markGenerationSucceeded(generationId: string, status: Status | string): Promise<void> {
      await markSucceeded(db, generationId, status);
    },

    async markGenerationFailed(
      generationId: string,
      outcome: { status: "failed" | "canceled"; reason: string; statusDetail?: Status; message?: string },
    ): Promise<void> {
      // An output stored before the end (a cancel at 99 %) is detached by markFailed and
      // removed here: a canceled or failed generation has nothing to serve or keep.
      const detached = await markFailed(db, generationId, outcome);
      for (const key of detached) await deps.blobStore.delete(key);
    },

    async recordAttemptOutcome(options: {
      generationId: string;
      attemptNo: number;
      outcome: "succeeded" | "failed" | "canceled" | "timed_out";
      errorKind?: string;
      errorMessage?: string;
      /** Time spent inside the engine or at the provider, to tell it apart from our overhead. */
      engineMs?: number;
    }): Promise<void> {
      await finishAttempt(db, options);
    },

    /**
     * Renders with the in-house engine and stores the video and poster. Heartbeats carry the
     * progress, so a dead worker is noticed within the heartbeat timeout and the render is
     * retried elsewhere; cancellation reaches ffmpeg through the heartbeat too. Idempotent:
     * a render whose output is already stored is not repeated.
     */
    async renderWithAnimateEngine(options: { generationId: string; attemptNo: number }): Promise<{ renderMs: number }> {
      const context = Context.current();
      const row = await findRenderInputs(db, options.generationId);
      if (!row)
        throw ApplicationFailure.nonRetryable("The photo for this generation is no longer available.", "input_missing");
      await startAttempt(db, { ...options, provider: "local" });
      if (context.info.attempt > 1 && context.info.heartbeatDetails !== undefined) {
        // An earlier try got under way (it heartbeated) and ended without a result: its worker
        // died or hung (heartbeat timeout), or it failed. Operators see renders being redone.
        activityLog().warn(
          "render retried: an earlier try started and ended without a result (worker died, hung or failed)",
          { workerIdentity: deps.workerIdentity },
        );
      }
      if (row.outputVideoKey) return { renderMs: 0 };

      const dir = path.join(deps.scratchDir, `${options.generationId}-${options.attemptNo}-${context.info.attempt}`);
      await mkdir(dir, { recursive: true });
      // Heartbeats say "this worker is alive", which must not depend on ffmpeg printing
      // something: under load it can be silent for seconds (setup, probing, the poster).
      let lastProgress = 0;
      const alive = setInterval(() => context.heartbeat({ progress: lastProgress }), 1000);
      try {
        const inputPath = path.join(dir, "input");
        const outputPath = path.join(dir, "output.mp4");
        const posterPath = path.join(dir, "poster.jpg");
        await blobToFile(deps.blobStore, row.imageKey, inputPath);

        let lastWrite = 0;
        const result = await deps.renderAnimation({
          inputPath,
          outputPath,
          posterPath,
          params: row.params,
          signal: context.cancellationSignal,
          onProgress: (fraction) => {
            lastProgress = fraction;
            context.heartbeat({ progress: fraction });
            // Mirror at most every 500 ms: the UI reads Postgres, ffmpeg reports far more often.
            const now = Date.now();
            if (now - lastWrite >= 500 || fraction >= 1) {
              lastWrite = now;
              void recordProgress(db, options.generationId, {
                progress: Math.min(0.99, fraction),
                status: { code: "rendering", params: { percent: Math.round(fraction * 100) } },
              }).catch(() => {});
            }
          },
        });
        context.heartbeat({ progress: 1 });
        await storeGenerationOutput(deps, {
          generationId: options.generationId,
          videoPath: outputPath,
          posterPath,
          durationSeconds: result.durationSeconds,
          width: result.width,
          height: result.height,
        });
        return { renderMs: result.renderMs };
      } catch (error) {
        if (context.cancellationSignal.aborted) throw new CancelledFailure("render canceled");
        throw error;
      } finally {
        clearInterval(alive);
        await rm(dir, { recursive: true, force: true });
      }
    },

    /** Removes a deleted generation's stored files, if it is still deleted (undo may have restored it). */
    async deleteGenerationOutputs(generationId: string): Promise<{ deleted: number }> {
      const keys = await findDeletedGenerationOutputKeys(db, generationId);
      if (!keys) return { deleted: 0 };
      for (const key of keys) await deps.blobStore.delete(key);
      await clearDeletedGenerationOutputKeys(db, generationId);
      return { deleted: keys.length };
    },
  };
}

export type GenerationActivities = ReturnType<typeof createGenerationActivities>;
