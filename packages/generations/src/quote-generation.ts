import { AppError } from "@animateimg/core";
import { getModel, parseModelParams, type ModelId } from "@animateimg/catalog";
import { getBalance } from "@animateimg/billing";
import type { Db } from "@animateimg/db";
import { invalidParamsError } from "./create-generation";
import type { OwnedAssetLookup } from "./orchestrator";

export interface GenerationQuote {
  priceCredits: number;
  balance: number;
  enough: boolean;
  /** The parameters as they would run: defaults filled in. */
  params: Record<string, unknown>;
}

/**
 * The price of these settings and what the caller has, validated like a create: the web
 * form's live price and the REST API's quote are this one function.
 */
export async function quoteGeneration(
  db: Db,
  request: { userId: string; modelId: ModelId; params: unknown; referenceVideoAssetId?: string | null },
  findOwnedAssets: OwnedAssetLookup,
): Promise<GenerationQuote> {
  const parsed = parseModelParams(request.modelId, request.params);
  if (!parsed.ok) throw invalidParamsError(parsed);
  let referenceVideoSeconds: number | undefined;
  if (request.referenceVideoAssetId) {
    const [asset] = await findOwnedAssets(request.userId, [request.referenceVideoAssetId]);
    if (!asset)
      throw new AppError("NOT_FOUND", "That reference video was not found. Upload it again.", {
        reason: "reference_video_not_found",
      });
    referenceVideoSeconds = (asset.durationMs ?? 0) / 1000;
  }
  const priceCredits = getModel(request.modelId).price(parsed.params, { referenceVideoSeconds });
  const balance = await getBalance(db, request.userId);
  return { priceCredits, balance, enough: balance >= priceCredits, params: parsed.params };
}
