import { z } from "zod";
import { modelIdSchema } from "@animateimg/catalog";
import { statusCodes, type StatusCode } from "@animateimg/core";

export const generationStatusSchema = z.enum(["queued", "running", "succeeded", "failed", "canceled"]);

/**
 * A status as data: a code and its parameters, which the web app words in the reader's
 * language, and `message`, the English sentence for clients that do not translate.
 */
export const wordedStatusSchema = z.object({
  code: z.enum(statusCodes as [StatusCode, ...StatusCode[]]),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  message: z.string(),
});

export const attemptViewSchema = z.object({
  attemptNo: z.number().int(),
  provider: z.string(),
  outcome: z.enum(["running", "succeeded", "failed", "canceled", "timed_out"]),
  errorKind: z.string().nullable(),
  errorMessage: z.string().nullable(),
  latencyMs: z.number().int().nullable(),
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
  /** The attempt in plain English words, e.g. "Kling was busy" (`description.message`). */
  summary: z.string(),
  /** The attempt as a code and parameters, e.g. {code: "attempt_failed", params: {provider: "kling", reason: "rate_limited"}}. */
  description: wordedStatusSchema,
});

export const generationViewSchema = z.object({
  id: z.uuid(),
  modelId: modelIdSchema,
  prompt: z.string(),
  params: z.record(z.string(), z.unknown()),
  imageAssetId: z.uuid(),
  endFrameAssetId: z.uuid().nullable(),
  referenceVideoAssetId: z.uuid().nullable(),
  private: z.boolean(),
  status: generationStatusSchema,
  progress: z.number().min(0).max(1),
  queuePosition: z.number().int().nullable(),
  statusMessage: z.string().nullable(),
  /** The status as a code and parameters (null on generations from before codes: use statusMessage). */
  statusDetail: wordedStatusSchema.nullable(),
  failureReason: z.string().nullable(),
  priceCredits: z.number().int(),
  retryOf: z.uuid().nullable(),
  output: z
    .object({
      durationMs: z.number().int(),
      width: z.number().int(),
      height: z.number().int(),
      bytes: z.number().int(),
    })
    .nullable(),
  hasOutput: z.boolean(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  /** Short-lived signed URLs, present once the output is stored. */
  videoUrl: z.string().nullable(),
  posterUrl: z.string().nullable(),
  downloadUrl: z.string().nullable(),
});

export const generationDetailSchema = generationViewSchema.extend({ attempts: z.array(attemptViewSchema) });

export const generationIdInput = z.object({ generationId: z.uuid({ message: "That is not a generation id." }) });

export const createGenerationInput = z.object({
  modelId: modelIdSchema,
  prompt: z.string().trim().max(2500, { message: "Prompts can be at most 2,500 characters." }),
  params: z.record(z.string(), z.unknown()).default({}),
  imageAssetId: z.uuid({ message: "Upload a photo first." }),
  endFrameAssetId: z.uuid().nullish(),
  referenceVideoAssetId: z.uuid().nullish(),
  private: z.boolean().default(true),
  /** One per press of "Generate"; retrying the request with it is safe. */
  idempotencyKey: z.string().min(8).max(100),
});

export const quoteInput = z.object({
  modelId: modelIdSchema,
  params: z.record(z.string(), z.unknown()).default({}),
  referenceVideoAssetId: z.uuid().nullish(),
});

export const listGenerationsInput = z.object({
  limit: z.number().int().min(1).max(50).default(20),
  cursor: z.string().nullish(),
  status: z.array(generationStatusSchema).optional(),
  modelId: z.array(modelIdSchema).optional(),
});

export const modelSummarySchema = z.object({
  id: modelIdSchema,
  label: z.string(),
  tagline: z.string(),
  goodAt: z.array(z.string()),
  limits: z.array(z.string()),
  inputs: z.object({
    image: z.literal("required"),
    endFrame: z.enum(["optional", "unsupported"]),
    referenceVideo: z.enum(["required", "unsupported"]),
  }),
  promptMaxLength: z.number().int(),
  defaults: z.record(z.string(), z.unknown()),
  fields: z.array(z.record(z.string(), z.unknown())),
  priceRange: z.object({ min: z.number().int(), max: z.number().int() }),
  available: z.boolean(),
});
