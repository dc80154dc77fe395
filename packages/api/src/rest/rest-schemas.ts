import { z } from "zod";
import { modelIdSchema } from "@animateimg/catalog";
import { wordedStatusSchema } from "../generation/generation-schemas";

// The REST API's resources and inputs. Dates are ISO 8601 strings on the wire; the OpenAPI
// document is generated from these same schemas (openapi-document.ts), and every response is
// parsed by its schema before it leaves (rest-routes.ts), so the document cannot drift.

const timestamp = z.iso.datetime({ offset: true }).meta({ description: "ISO 8601 date-time" });

export const problemSchema = z
  .object({
    type: z.string().meta({ description: "A URI reference naming the kind of problem" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().meta({ description: "What went wrong, in a sentence a person can act on" }),
    code: z.string().meta({ description: "The same error code the web app uses (e.g. NOT_FOUND, CONFLICT)" }),
    reason: z
      .string()
      .nullable()
      .meta({ description: "A stable machine-readable reason within the code, e.g. insufficient_credits" }),
    params: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .optional()
      .meta({
        description:
          "The values `detail` is made of, for clients that word the reason themselves, e.g. {price: 3, available: 1}",
      }),
    retryAfterSeconds: z.number().int().optional(),
    fieldErrors: z.record(z.string(), z.array(z.string())).optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details" });

export const assetResourceSchema = z
  .object({
    id: z.uuid(),
    object: z.literal("asset"),
    kind: z.enum(["image", "video"]),
    mime: z.string(),
    name: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    durationMs: z.number().int().nullable(),
    bytes: z.number().int(),
    sha256: z.string(),
    createdAt: timestamp,
  })
  .meta({ id: "Asset", description: "An uploaded photo or reference video" });

export const modelResourceSchema = z
  .object({
    id: modelIdSchema,
    object: z.literal("model"),
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
    available: z
      .boolean()
      .meta({ description: "False when this server cannot run the model (no provider configured)" }),
    priceRange: z
      .object({ min: z.number().int(), max: z.number().int() })
      .meta({ description: "Credits, cheapest to dearest settings" }),
    defaults: z.record(z.string(), z.unknown()),
    parameterSchema: z
      .record(z.string(), z.unknown())
      .meta({ description: "JSON Schema (2020-12) of `params` for this model" }),
  })
  .meta({ id: "Model" });

export const generationStatusSchema = z.enum(["queued", "running", "succeeded", "failed", "canceled"]);

export const generationResourceSchema = z
  .object({
    id: z.uuid(),
    object: z.literal("generation"),
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
    statusDetail: wordedStatusSchema.nullable().meta({
      description:
        "The status as a code and parameters, with statusMessage as its English wording; null on generations made before codes",
    }),
    failureReason: z.string().nullable(),
    priceCredits: z.number().int(),
    output: z
      .object({
        durationMs: z.number().int(),
        width: z.number().int(),
        height: z.number().int(),
        bytes: z.number().int(),
      })
      .nullable(),
    downloadUrl: z
      .string()
      .nullable()
      .meta({ description: "GET it with your key for the MP4; null until the video is stored" }),
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
  })
  .meta({ id: "Generation" });

export const generationListSchema = z
  .object({
    object: z.literal("list"),
    data: z.array(generationResourceSchema),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "Pass as `cursor` for the next page; null on the last page" }),
  })
  .meta({ id: "GenerationList" });

export const modelListSchema = z
  .object({ object: z.literal("list"), data: z.array(modelResourceSchema) })
  .meta({ id: "ModelList" });

export const quoteRequestSchema = z
  .object({
    modelId: modelIdSchema,
    params: z.record(z.string(), z.unknown()).default({}),
    referenceVideoAssetId: z.uuid().nullish(),
  })
  .meta({ id: "QuoteRequest" });

export const quoteResourceSchema = z
  .object({
    object: z.literal("quote"),
    priceCredits: z.number().int(),
    balance: z.number().int(),
    enough: z.boolean(),
    params: z
      .record(z.string(), z.unknown())
      .meta({ description: "The parameters as they would run, defaults filled in" }),
  })
  .meta({ id: "Quote" });

export const createGenerationRequestSchema = z
  .object({
    modelId: modelIdSchema,
    prompt: z.string().trim().max(2500).default(""),
    params: z.record(z.string(), z.unknown()).default({}),
    imageAssetId: z.uuid(),
    endFrameAssetId: z.uuid().nullish(),
    referenceVideoAssetId: z.uuid().nullish(),
    private: z
      .boolean()
      .default(true)
      .meta({ description: "Private generations never appear in the public gallery (default true)" }),
  })
  .meta({ id: "CreateGenerationRequest" });

export const listGenerationsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().max(500).optional(),
  status: z
    .string()
    .optional()
    .meta({ description: "Comma-separated statuses, e.g. `succeeded,failed`" })
    .transform((value, ctx) => {
      if (!value) return undefined;
      const parsed = z.array(generationStatusSchema).safeParse(value.split(","));
      if (!parsed.success) {
        ctx.addIssue({
          code: "custom",
          message: "status takes queued, running, succeeded, failed or canceled, comma-separated.",
        });
        return z.NEVER;
      }
      return parsed.data;
    }),
  modelId: modelIdSchema.optional(),
});

export const deletedResourceSchema = z
  .object({ id: z.uuid(), object: z.literal("generation"), deleted: z.literal(true) })
  .meta({ id: "DeletedGeneration" });
