import { z } from "zod";
import type { AuthenticatedApiKey } from "@animateimg/auth";
import { getModel } from "@animateimg/catalog";
import { AppError } from "@animateimg/core";
import type { ApiKeyScope } from "@animateimg/db";
import {
  cancelGeneration,
  createDbAssetLookup,
  createGeneration,
  deleteGeneration,
  getGeneration,
  getOwnGenerationRow,
  listGenerations,
  quoteGeneration,
  type GenerationOrchestrator,
} from "@animateimg/generations";
import { describeModels } from "../generation/describe-models";
import type { ApiDependencies } from "../trpc";
import { serveStoredBlob } from "../upload/blob-http-handler";
import { receiveUpload } from "../upload/upload-http-handler";
import { toAssetResource, toGenerationResource } from "./rest-resources";
import { webhookRestRoutes } from "./rest-webhook-routes";
import {
  assetResourceSchema,
  createGenerationRequestSchema,
  deletedResourceSchema,
  generationListSchema,
  generationResourceSchema,
  listGenerationsQuerySchema,
  modelListSchema,
  quoteRequestSchema,
  quoteResourceSchema,
} from "./rest-schemas";

export interface RestContext {
  req: Request;
  deps: ApiDependencies;
  key: AuthenticatedApiKey;
  /** Path parameters, e.g. `{ id }`. */
  params: Record<string, string>;
  query: unknown;
  body: unknown;
  /** `<origin>/api/v1`, for links in responses. */
  apiBaseUrl: string;
  orchestrator: () => Promise<GenerationOrchestrator>;
}

export interface RestResponseSpec {
  status: number;
  description: string;
  schema?: z.ZodType;
  /** Non-JSON bodies (the MP4). */
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RestRoute {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** OpenAPI-style path under /api/v1, e.g. `/generations/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  scope: ApiKeyScope;
  query?: z.ZodObject;
  body?: { schema: z.ZodType } | { binary: true; description: string };
  headers?: Array<{ name: string; description: string; required: boolean }>;
  responses: RestResponseSpec[];
  handle(context: RestContext): Promise<Response>;
}

/** A JSON response whose body is first parsed by its declared schema: the document cannot drift from the code. */
function reply<S extends z.ZodType>(
  status: number,
  schema: S,
  value: z.input<S>,
  headers?: Record<string, string>,
): Response {
  const body = schema.parse(value);
  const response = Response.json(body, { status, headers });
  response.headers.set("cache-control", "no-store");
  return response;
}

const idParam = (context: RestContext) => {
  const parsed = z.uuid().safeParse(context.params.id);
  // A malformed id and someone else's id look the same: we never confirm another account's ids.
  if (!parsed.success)
    throw new AppError("NOT_FOUND", "That generation was not found. It may have been deleted.", {
      reason: "generation_not_found",
    });
  return parsed.data;
};

const idempotencyKeyPattern = /^[\x21-\x7e]{8,100}$/;

export const restRoutes: RestRoute[] = [
  {
    method: "POST",
    path: "/uploads",
    operationId: "createUpload",
    summary: "Upload a photo or a reference video",
    description:
      "The body is the file itself (name it with `X-File-Name`), or multipart/form-data with a `file` field. Photos: JPEG, PNG, WebP, AVIF, HEIC up to 20 MB; reference videos: MP4, MOV, WebM, 3–30 s. `?kind=image|video` refuses the other kind; `?model=motion-control` applies that model's video limits.",
    scope: "generate",
    body: { binary: true, description: "The file's bytes, or multipart/form-data with a `file` field" },
    responses: [{ status: 201, description: "Stored", schema: assetResourceSchema }],
    async handle(context) {
      const asset = await receiveUpload(context.req, { deps: context.deps, userId: context.key.user.id });
      return reply(201, assetResourceSchema, toAssetResource(asset));
    },
  },
  {
    method: "GET",
    path: "/models",
    operationId: "listModels",
    summary: "List the models with their parameter schemas and prices",
    scope: "read",
    responses: [{ status: 200, description: "Every model", schema: modelListSchema }],
    handle(context) {
      const data = describeModels(context.deps.generations?.enabledProviders ?? new Set()).map((model) => ({
        id: model.id,
        object: "model" as const,
        label: model.label,
        tagline: model.tagline,
        goodAt: model.goodAt,
        limits: model.limits,
        inputs: model.inputs,
        promptMaxLength: model.promptMaxLength,
        available: model.available,
        priceRange: model.priceRange,
        defaults: model.defaults,
        parameterSchema: parameterSchemaOf(model.id),
      }));
      return Promise.resolve(reply(200, modelListSchema, { object: "list", data }));
    },
  },
  {
    method: "POST",
    path: "/quote",
    operationId: "quoteGeneration",
    summary: "Price a generation and compare it with your balance",
    scope: "read",
    body: { schema: quoteRequestSchema },
    responses: [{ status: 200, description: "The price in credits", schema: quoteResourceSchema }],
    async handle(context) {
      const input = context.body as z.output<typeof quoteRequestSchema>;
      const quote = await quoteGeneration(
        context.deps.db,
        {
          userId: context.key.user.id,
          modelId: input.modelId,
          params: input.params,
          referenceVideoAssetId: input.referenceVideoAssetId ?? null,
        },
        createDbAssetLookup(context.deps.db),
      );
      return reply(200, quoteResourceSchema, { object: "quote", ...quote });
    },
  },
  {
    method: "POST",
    path: "/generations",
    operationId: "createGeneration",
    summary: "Start a generation",
    description:
      "Spends credits. Send an `Idempotency-Key` (8–100 printable characters, e.g. a UUID) to retry safely: the same key with the same body returns the same generation (`Idempotent-Replayed: true`), the same key with a different body is refused with 409.",
    scope: "generate",
    body: { schema: createGenerationRequestSchema },
    headers: [
      { name: "Idempotency-Key", description: "One per intended generation; retries reuse it", required: false },
    ],
    responses: [
      { status: 201, description: "Created; the workflow has started", schema: generationResourceSchema },
      {
        status: 200,
        description: "Replayed: this key already created this generation",
        schema: generationResourceSchema,
      },
    ],
    async handle(context) {
      if (!context.key.user.emailVerified) {
        throw new AppError("FORBIDDEN", "Please verify your email address before starting paid work.", {
          reason: "email_unverified",
        });
      }
      const header = context.req.headers.get("idempotency-key");
      if (header !== null && !idempotencyKeyPattern.test(header)) {
        throw new AppError("BAD_REQUEST", "Idempotency-Key must be 8 to 100 printable characters, e.g. a UUID.", {
          reason: "invalid_idempotency_key",
        });
      }
      const input = context.body as z.output<typeof createGenerationRequestSchema>;
      const { generation, created } = await createGeneration(
        context.deps.db,
        {
          ...input,
          userId: context.key.user.id,
          idempotencyKey: header ?? `api:${crypto.randomUUID()}`,
          apiKeyId: context.key.keyId,
        },
        { orchestrator: await context.orchestrator(), findOwnedAssets: createDbAssetLookup(context.deps.db) },
      );
      return reply(
        created ? 201 : 200,
        generationResourceSchema,
        toGenerationResource(generation, context.apiBaseUrl),
        created ? undefined : { "idempotent-replayed": "true" },
      );
    },
  },
  {
    method: "GET",
    path: "/generations",
    operationId: "listGenerations",
    summary: "List your generations, newest first",
    scope: "read",
    query: listGenerationsQuerySchema,
    responses: [{ status: 200, description: "One page", schema: generationListSchema }],
    async handle(context) {
      const query = context.query as z.output<typeof listGenerationsQuerySchema>;
      const page = await listGenerations(context.deps.db, {
        userId: context.key.user.id,
        limit: query.limit,
        cursor: query.cursor ?? null,
        ...(query.status ? { status: query.status } : {}),
        ...(query.modelId ? { modelId: [query.modelId] } : {}),
      });
      return reply(200, generationListSchema, {
        object: "list",
        data: page.items.map((item) => toGenerationResource(item, context.apiBaseUrl)),
        nextCursor: page.nextCursor,
      });
    },
  },
  {
    method: "GET",
    path: "/generations/{id}",
    operationId: "getGeneration",
    summary: "Get one generation",
    scope: "read",
    responses: [{ status: 200, description: "The generation as it is now", schema: generationResourceSchema }],
    async handle(context) {
      const generation = await getGeneration(context.deps.db, {
        userId: context.key.user.id,
        generationId: idParam(context),
      });
      return reply(200, generationResourceSchema, toGenerationResource(generation, context.apiBaseUrl));
    },
  },
  {
    method: "POST",
    path: "/generations/{id}/cancel",
    operationId: "cancelGeneration",
    summary: "Cancel a queued or running generation (its credits are released)",
    scope: "generate",
    responses: [{ status: 200, description: "Cancellation requested", schema: generationResourceSchema }],
    async handle(context) {
      const generation = await cancelGeneration(
        context.deps.db,
        { userId: context.key.user.id, generationId: idParam(context) },
        await context.orchestrator(),
      );
      return reply(200, generationResourceSchema, toGenerationResource(generation, context.apiBaseUrl));
    },
  },
  {
    method: "DELETE",
    path: "/generations/{id}",
    operationId: "deleteGeneration",
    summary: "Delete a generation and its video",
    scope: "generate",
    responses: [{ status: 200, description: "Deleted", schema: deletedResourceSchema }],
    async handle(context) {
      const generationId = idParam(context);
      await deleteGeneration(
        context.deps.db,
        { userId: context.key.user.id, generationId },
        await context.orchestrator(),
      );
      return reply(200, deletedResourceSchema, { id: generationId, object: "generation", deleted: true });
    },
  },
  {
    method: "GET",
    path: "/generations/{id}/download",
    operationId: "downloadGeneration",
    summary: "Download the finished MP4",
    description: "Supports `Range`. 409 while the video is not ready.",
    scope: "read",
    responses: [
      { status: 200, description: "The MP4", contentType: "video/mp4" },
      { status: 206, description: "Part of the MP4 (Range)", contentType: "video/mp4" },
    ],
    async handle(context) {
      const uploads = context.deps.uploads;
      if (!uploads)
        throw new AppError("SERVICE_UNAVAILABLE", "File storage is not configured on this server.", {
          reason: "storage_not_configured",
        });
      const row = await getOwnGenerationRow(context.deps.db, {
        userId: context.key.user.id,
        generationId: idParam(context),
      });
      if (!row.output_video_key) {
        throw new AppError("CONFLICT", "This generation has no video yet. Download it once its status is succeeded.", {
          reason: "output_not_ready",
        });
      }
      return serveStoredBlob(context.req, uploads.store, {
        key: row.output_video_key,
        filename: `animateimg-${row.id.slice(0, 8)}.mp4`,
        maxAgeSeconds: 0,
        disposition: "attachment",
      });
    },
  },
  // Webhook endpoints, their delivery log, and usage.
  ...webhookRestRoutes,
];

const parameterSchemas = new Map<string, Record<string, unknown>>();

/** The JSON Schema of a model's `params` (what the request accepts, defaults included). */
export function parameterSchemaOf(modelId: Parameters<typeof getModel>[0]): Record<string, unknown> {
  let schema = parameterSchemas.get(modelId);
  if (!schema) {
    const { $schema: _dialect, ...rest } = z.toJSONSchema(getModel(modelId).paramsSchema, { io: "input" }) as Record<
      string,
      unknown
    >;
    schema = rest;
    parameterSchemas.set(modelId, schema);
  }
  return schema;
}
