import type { Generation, GenerationAttempt } from "@animateimg/db";
import type { ModelId } from "@animateimg/catalog";
import type { WordedStatus } from "@animateimg/core";
import { storedStatus, wordStatus } from "./status-words";

/** What a user sees of a generation: no blob keys, no idempotency key. */
export interface GenerationView {
  id: string;
  modelId: ModelId;
  prompt: string;
  params: Record<string, unknown>;
  imageAssetId: string;
  endFrameAssetId: string | null;
  referenceVideoAssetId: string | null;
  private: boolean;
  status: Generation["status"];
  progress: number;
  queuePosition: number | null;
  /** English, for API clients that do not translate (and the only wording rows from before codes have). */
  statusMessage: string | null;
  /** The status as a code and its parameters, which the web app words; null on rows from before codes. */
  statusDetail: WordedStatus | null;
  failureReason: string | null;
  priceCredits: number;
  retryOf: string | null;
  output: { durationMs: number; width: number; height: number; bytes: number } | null;
  hasOutput: boolean;
  /**
   * Where the output is stored, for signing URLs on the server. Never sent to a client: the
   * API turns it into signed URLs and drops it.
   */
  outputKeys: { video: string; poster: string | null } | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface AttemptView {
  attemptNo: number;
  provider: string;
  outcome: GenerationAttempt["outcome"];
  errorKind: string | null;
  errorMessage: string | null;
  latencyMs: number | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export function toGenerationView(row: Generation): GenerationView {
  // Only a succeeded generation has an output to show: one stored in the last moments before a
  // cancel or failure is never served, even before it is removed.
  const hasOutput = row.output_video_key !== null && row.status === "succeeded";
  return {
    id: row.id,
    modelId: row.model_id as ModelId,
    prompt: row.prompt,
    params: row.params,
    imageAssetId: row.image_asset_id,
    endFrameAssetId: row.end_frame_asset_id,
    referenceVideoAssetId: row.reference_video_asset_id,
    private: row.private,
    status: row.status,
    progress: row.progress,
    queuePosition: row.queue_position,
    statusMessage: row.status_message,
    statusDetail: wordedDetail(row),
    failureReason: row.failure_reason,
    priceCredits: row.price_credits,
    retryOf: row.retry_of,
    output:
      hasOutput && row.output_duration_ms !== null && row.output_width !== null && row.output_height !== null
        ? {
            durationMs: row.output_duration_ms,
            width: row.output_width,
            height: row.output_height,
            bytes: row.output_bytes ?? 0,
          }
        : null,
    hasOutput,
    outputKeys:
      hasOutput && row.output_video_key ? { video: row.output_video_key, poster: row.output_poster_key } : null,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

function wordedDetail(row: Generation): WordedStatus | null {
  const status = storedStatus(row.status_code, row.status_params);
  if (!status) return null;
  // The sentence stored beside the code was written with it; a newer wording is made afresh.
  return { ...wordStatus(status), ...(row.status_message ? { message: row.status_message } : {}) };
}

export function toAttemptView(row: GenerationAttempt): AttemptView {
  return {
    attemptNo: row.attempt_no,
    provider: row.provider,
    outcome: row.outcome,
    errorKind: row.error_kind,
    errorMessage: row.error_message,
    latencyMs: row.latency_ms,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
