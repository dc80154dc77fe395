import { createHash } from "node:crypto";
import { AppError } from "@animateimg/core";
import { getModel, parseModelParams, priceOf, type ModelId } from "@animateimg/catalog";
import { creditsOwedError, findReservedGenerations, getCreditStanding } from "@animateimg/billing";
import { inTransaction, sql, type Database, type Executor, type Transaction } from "@animateimg/db";
import { toGenerationView, type GenerationView } from "./generation-view";
import { failAbandonedGeneration } from "./reconcile-generations";
import type { GenerationOrchestrator, OwnedAssetLookup } from "./orchestrator";
import { statusColumns } from "./status-mirror";

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
  /**
   * Remote providers this server can reach; a model none of whose routes is usable is refused.
   * The web API always passes it; tests and the bench that bring their own routes may not.
   */
  enabledProviders?: ReadonlySet<string>;
}

/** A model can run when one of its routes is the local engine or an enabled provider. */
export function isModelAvailable(modelId: ModelId, enabledProviders: ReadonlySet<string>): boolean {
  return getModel(modelId).routes.some((route) => route === "local" || enabledProviders.has(route));
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The request as the generation will run it: parameters with their defaults filled in (so
 * `{}` and the explicit defaults are the same request), absent media as null, keys sorted.
 */
export function hashGenerationRequest(request: CreateGenerationRequest): string {
  const parsed = parseModelParams(request.modelId, request.params);
  const normalized = {
    modelId: request.modelId,
    prompt: request.prompt.trim(),
    params: parsed.ok ? parsed.params : request.params,
    imageAssetId: request.imageAssetId,
    endFrameAssetId: request.endFrameAssetId ?? null,
    referenceVideoAssetId: request.referenceVideoAssetId ?? null,
    private: request.private,
    retryOf: request.retryOf ?? null,
  };
  return createHash("sha256").update(canonicalJson(normalized)).digest("hex");
}

/**
 * Credits promised to generations that have not reserved yet (queued or just started): the
 * balance does not show them, so without this a burst of creates could all pass the check.
 */
async function pendingUnreservedCredits(trx: Transaction<Database>, userId: string): Promise<number> {
  const open = await trx
    .selectFrom("generations")
    .select(["id", "price_credits"])
    .where("user_id", "=", userId)
    .where("status", "in", ["queued", "running"])
    .where("deleted_at", "is", null)
    .execute();
  const reserved = await findReservedGenerations(
    trx,
    open.map((row) => row.id),
  );
  return open.filter((row) => !reserved.has(row.id)).reduce((sum, row) => sum + row.price_credits, 0);
}

/** A model's parameters refused: the first refused field by its label, or the settings as a whole. */
export function invalidParamsError(parsed: {
  message: string;
  fieldErrors: Record<string, string[]>;
  field?: string;
}): AppError {
  return parsed.field === undefined
    ? new AppError("BAD_REQUEST", parsed.message, { reason: "invalid_params_shape", fieldErrors: parsed.fieldErrors })
    : new AppError("BAD_REQUEST", parsed.message, {
        reason: "invalid_params",
        params: { field: parsed.field },
        fieldErrors: parsed.fieldErrors,
      });
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
  if (!parsed.ok) throw invalidParamsError(parsed);
  if (request.prompt.length > model.promptMaxLength) {
    throw new AppError("BAD_REQUEST", `${model.label} takes prompts of up to ${model.promptMaxLength} characters.`, {
      reason: "prompt_too_long",
      params: { model: model.label, max: model.promptMaxLength },
      fieldErrors: { prompt: [`At most ${model.promptMaxLength} characters.`] },
    });
  }
  if (request.endFrameAssetId && model.inputs.endFrame === "unsupported") {
    throw new AppError("BAD_REQUEST", `${model.label} does not take an end frame.`, {
      reason: "end_frame_unsupported",
      params: { model: model.label },
    });
  }
  if (model.inputs.referenceVideo === "required" && !request.referenceVideoAssetId) {
    throw new AppError("BAD_REQUEST", `${model.label} needs a reference video showing the motion.`, {
      reason: "reference_video_required",
      params: { model: model.label },
    });
  }
  if (request.referenceVideoAssetId && model.inputs.referenceVideo === "unsupported") {
    throw new AppError("BAD_REQUEST", `${model.label} does not take a reference video.`, {
      reason: "reference_video_unsupported",
      params: { model: model.label },
    });
  }

  const wanted = [request.imageAssetId, request.endFrameAssetId, request.referenceVideoAssetId].filter(
    (id): id is string => typeof id === "string",
  );
  const owned = await findOwnedAssets(request.userId, wanted);
  const byId = new Map(owned.map((asset) => [asset.id, asset]));
  // Someone else's asset and a missing one look the same: we never confirm another user's ids.
  const missing = wanted.filter((id) => !byId.has(id));
  if (missing.length > 0)
    throw new AppError("NOT_FOUND", "That upload was not found. Upload the file again.", {
      reason: "upload_not_found",
    });
  if (byId.get(request.imageAssetId)?.kind !== "image")
    throw new AppError("BAD_REQUEST", "The starting frame must be a photo.", { reason: "start_frame_not_photo" });
  if (request.endFrameAssetId && byId.get(request.endFrameAssetId)?.kind !== "image") {
    throw new AppError("BAD_REQUEST", "The end frame must be a photo.", { reason: "end_frame_not_photo" });
  }
  let referenceVideoSeconds: number | undefined;
  if (request.referenceVideoAssetId) {
    const video = byId.get(request.referenceVideoAssetId);
    if (video?.kind !== "video")
      throw new AppError("BAD_REQUEST", "The reference must be a video.", { reason: "reference_not_video" });
    referenceVideoSeconds = (video.durationMs ?? 0) / 1000;
  }
  return { params: parsed.params, priceCredits: priceOf(request.modelId, parsed.params, { referenceVideoSeconds }) };
}

/**
 * Creates a generation and starts its workflow. Idempotent on (user, idempotencyKey): the
 * same key returns the same generation and never starts a second workflow. `db` may be the
 * caller's transaction: the row and the per-user create lock then belong to it (the lock is
 * held until the caller commits), and should the caller roll back after the workflow started,
 * that run finds no generation and ends without charging.
 */
export async function createGeneration(
  db: Executor,
  request: CreateGenerationRequest,
  deps: CreateGenerationDeps,
): Promise<{ generation: GenerationView; created: boolean }> {
  const requestHash = hashGenerationRequest(request);
  const existing = await db
    .selectFrom("generations")
    .selectAll()
    .where("user_id", "=", request.userId)
    .where("idempotency_key", "=", request.idempotencyKey)
    .executeTakeFirst();
  if (existing) {
    if (existing.request_hash !== null && existing.request_hash !== requestHash) {
      throw new AppError(
        "CONFLICT",
        "This request key was already used for a different generation. Send a new key to start another one.",
        { reason: "idempotency_key_reused" },
      );
    }
    // The first request may have died between the insert and the start: starting is idempotent.
    if (existing.status === "queued") await startOrGiveUp(db, existing.id, deps.orchestrator);
    return { generation: toGenerationView(existing), created: false };
  }

  if (deps.enabledProviders && !isModelAvailable(request.modelId, deps.enabledProviders)) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `${getModel(request.modelId).label} is not configured on this server. Choose another model.`,
      {
        reason: "model_unavailable",
        params: { model: getModel(request.modelId).label },
      },
    );
  }
  const prepared = await prepareGeneration(request, deps.findOwnedAssets);

  // One create per user at a time decides against the balance minus what earlier, not yet
  // reserved generations will take; the workflow's reservation stays the final guard.
  const inserted = await inTransaction(db, async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`generation-create:${request.userId}`}, 0))`.execute(trx);
    const [{ available: balance, owed }, pending] = await Promise.all([
      getCreditStanding(trx, request.userId),
      pendingUnreservedCredits(trx, request.userId),
    ]);
    if (owed > 0) throw creditsOwedError(owed);
    const spendable = Math.max(0, balance - pending);
    if (spendable < prepared.priceCredits) {
      throw new AppError(
        "PAYMENT_REQUIRED",
        pending > 0
          ? `This costs ${prepared.priceCredits} credits and you have ${spendable} left after the generations still waiting to start. Wait for them, buy credits or choose cheaper settings.`
          : `This costs ${prepared.priceCredits} credits and you have ${balance}. Buy credits or choose cheaper settings.`,
        { reason: "insufficient_credits", params: { price: prepared.priceCredits, available: spendable, pending } },
      );
    }
    return trx
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
        request_hash: requestHash,
        retry_of: request.retryOf ?? null,
        api_key_id: request.apiKeyId ?? null,
        ...statusColumns({ code: "waiting_to_start", params: {} }),
      })
      .onConflict((oc) => oc.constraint("generations_user_idempotency_key").doNothing())
      .returningAll()
      .executeTakeFirst();
  });
  if (!inserted) return createGeneration(db, request, deps); // lost a race with the same key
  await startOrGiveUp(db, inserted.id, deps.orchestrator);
  return { generation: toGenerationView(inserted), created: true };
}

/**
 * Starts the workflow (the orchestrator bounds the wait). When it cannot be started (Temporal
 * unreachable), the row does not stay queued waiting for a workflow that will not come: it is
 * failed (`start_failed`) with anything a run may already have reserved released, in one
 * transaction. Should the start have reached Temporal after all, that run finds the row failed
 * and its reservation released, so it cannot charge. The person is told to try again.
 */
async function startOrGiveUp(db: Executor, generationId: string, orchestrator: GenerationOrchestrator): Promise<void> {
  try {
    await orchestrator.start(generationId);
  } catch (error) {
    await failAbandonedGeneration(db, generationId, "start_failed");
    throw new AppError(
      "SERVICE_UNAVAILABLE",
      "We could not start this generation right now. Nothing was charged; please try again in a minute.",
      {
        reason: "start_failed",
        cause: error,
      },
    );
  }
}
