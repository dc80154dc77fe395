import { AppError } from "@animateimg/core";
import { getModel, parseModelParams, priceOf, type ModelId } from "@animateimg/catalog";
import { creditsOwedError, getCreditStanding } from "@animateimg/billing";
import type { Db } from "@animateimg/db";
import { toGenerationView, type GenerationView } from "./generation-view";
import type { GenerationOrchestrator, OwnedAssetLookup } from "./orchestrator";

export interface CreateGenerationRequest {
  userId: string;
  modelId: ModelId;
  prompt: string;
  params: unknown;
  imageAssetId: string;
  endFrameAssetId?: string | null;
  referenceVideoAssetId?: string | null;
  private: boolean;
  /** Chosen by the client once per "Generate" press: a retried request finds the same generation. */
  idempotencyKey: string;
  retryOf?: string | null;
  /** The developer API key that made the request (usage per key); absent from the web app. */
  apiKeyId?: string | null;
}

export interface CreateGenerationDeps {
  orchestrator: GenerationOrchestrator;
  findOwnedAssets: OwnedAssetLookup;
}

export interface PreparedGeneration {
  params: Record<string, unknown>;
  priceCredits: number;
}

/** Validates a request against the catalog and the caller's assets, and prices it. */
export async function prepareGeneration(
  request: Omit<CreateGenerationRequest, "idempotencyKey" | "private" | "apiKeyId">,
  findOwnedAssets: OwnedAssetLookup,
): Promise<PreparedGeneration> {
  const model = getModel(request.modelId);
  const parsed = parseModelParams(request.modelId, request.params);
  if (!parsed.ok) throw new AppError("BAD_REQUEST", parsed.message, { fieldErrors: parsed.fieldErrors, reason: "invalid_params" });
  if (request.prompt.length > model.promptMaxLength) {
    throw new AppError("BAD_REQUEST", `${model.label} takes prompts of up to ${model.promptMaxLength} characters.`, {
      fieldErrors: { prompt: [`At most ${model.promptMaxLength} characters.`] },
    });
  }
  if (request.endFrameAssetId && model.inputs.endFrame === "unsupported") {
    throw new AppError("BAD_REQUEST", `${model.label} does not take an end frame.`);
  }
  if (model.inputs.referenceVideo === "required" && !request.referenceVideoAssetId) {
    throw new AppError("BAD_REQUEST", `${model.label} needs a reference video showing the motion.`);
  }
  if (request.referenceVideoAssetId && model.inputs.referenceVideo === "unsupported") {
    throw new AppError("BAD_REQUEST", `${model.label} does not take a reference video.`);
  }

  const wanted = [request.imageAssetId, request.endFrameAssetId, request.referenceVideoAssetId].filter(
    (id): id is string => typeof id === "string",
  );
  const owned = await findOwnedAssets(request.userId, wanted);
  const byId = new Map(owned.map((asset) => [asset.id, asset]));
  // Someone else's asset and a missing one look the same: we never confirm another user's ids.
  const missing = wanted.filter((id) => !byId.has(id));
  if (missing.length > 0) throw new AppError("NOT_FOUND", "That upload was not found. Upload the file again.");
  if (byId.get(request.imageAssetId)?.kind !== "image") throw new AppError("BAD_REQUEST", "The starting frame must be a photo.");
  if (request.endFrameAssetId && byId.get(request.endFrameAssetId)?.kind !== "image") {
    throw new AppError("BAD_REQUEST", "The end frame must be a photo.");
  }
  let referenceVideoSeconds: number | undefined;
  if (request.referenceVideoAssetId) {
    const video = byId.get(request.referenceVideoAssetId);
    if (video?.kind !== "video") throw new AppError("BAD_REQUEST", "The reference must be a video.");
    referenceVideoSeconds = (video.durationMs ?? 0) / 1000;
  }
  return { params: parsed.params, priceCredits: priceOf(request.modelId, parsed.params, { referenceVideoSeconds }) };
}

/**
 * Creates a generation and starts its workflow. Idempotent on (user, idempotencyKey): the
 * same key returns the same generation and never starts a second workflow.
 */
export async function createGeneration(
  db: Db,
  request: CreateGenerationRequest,
  deps: CreateGenerationDeps,
): Promise<{ generation: GenerationView; created: boolean }> {
  const existing = await db
    .selectFrom("generations")
    .selectAll()
    .where("user_id", "=", request.userId)
    .where("idempotency_key", "=", request.idempotencyKey)
    .executeTakeFirst();
  if (existing) {
    // The first request may have died between the insert and the start: starting is idempotent.
    if (existing.status === "queued") await deps.orchestrator.start(existing.id);
    return { generation: toGenerationView(existing), created: false };
  }

  const prepared = await prepareGeneration(request, deps.findOwnedAssets);
  // A friendly early refusal; the workflow's reservation is what actually guarantees it.
  const { available: balance, owed } = await getCreditStanding(db, request.userId);
  if (owed > 0) throw creditsOwedError(owed);
  if (balance < prepared.priceCredits) {
    throw new AppError(
      "PAYMENT_REQUIRED",
      `This costs ${prepared.priceCredits} credits and you have ${balance}. Buy credits or choose cheaper settings.`,
      { reason: "insufficient_credits" },
    );
  }

  const inserted = await db
    .insertInto("generations")
    .values({
      user_id: request.userId,
      model_id: request.modelId,
      prompt: request.prompt,
      params: JSON.stringify(prepared.params),
      image_asset_id: request.imageAssetId,
      end_frame_asset_id: request.endFrameAssetId ?? null,
      reference_video_asset_id: request.referenceVideoAssetId ?? null,
      private: request.private,
      price_credits: prepared.priceCredits,
      idempotency_key: request.idempotencyKey,
      retry_of: request.retryOf ?? null,
      api_key_id: request.apiKeyId ?? null,
      status_message: "Waiting to start",
    })
    .onConflict((oc) => oc.constraint("generations_user_idempotency_key").doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!inserted) return createGeneration(db, request, deps); // lost a race with the same key
  await deps.orchestrator.start(inserted.id);
  return { generation: toGenerationView(inserted), created: true };
}
