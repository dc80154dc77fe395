// The custom search attributes operators filter generation workflows by. Safe to import from
// workflow code (no I/O): the workflow upserts them, the worker registers them, and the dev
// server is started with them.
import { defineSearchAttributeKey, SearchAttributeType } from "@temporalio/common";

/**
 * Every generation workflow's outcome is a completed workflow (failures and cancels are
 * business results, returned as state), so Temporal's own status cannot tell them apart:
 * `AnimateImgOutcome` can — `temporal workflow list --query 'AnimateImgOutcome="failed"'`.
 */
export const generationSearchAttributes = {
  /** The user-facing model id (`animate`, `kling-3`…), set when the workflow starts. */
  model: defineSearchAttributeKey("AnimateImgModel", SearchAttributeType.KEYWORD),
  /** `succeeded`, `failed` or `canceled`, set when the workflow ends. */
  outcome: defineSearchAttributeKey("AnimateImgOutcome", SearchAttributeType.KEYWORD),
} as const;

export type GenerationOutcome = "succeeded" | "failed" | "canceled";

/** Name → type of each custom attribute, for registering them (CLI flags, operator API). */
export const customSearchAttributes: Record<string, "Keyword"> = Object.fromEntries(
  Object.values(generationSearchAttributes).map((key) => [key.name, "Keyword" as const]),
);
