import type { Asset } from "@animateimg/assets";
import type { GenerationView } from "@animateimg/generations";
import type { z } from "zod";
import type { assetResourceSchema, generationResourceSchema } from "./rest-schemas";

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** A generation as the REST API shows it: no storage keys; the video through its download URL. */
export function toGenerationResource(
  view: GenerationView,
  apiBaseUrl: string,
): z.input<typeof generationResourceSchema> {
  return {
    id: view.id,
    object: "generation",
    modelId: view.modelId,
    prompt: view.prompt,
    params: view.params,
    imageAssetId: view.imageAssetId,
    endFrameAssetId: view.endFrameAssetId,
    referenceVideoAssetId: view.referenceVideoAssetId,
    private: view.private,
    status: view.status,
    progress: view.progress,
    queuePosition: view.queuePosition,
    statusMessage: view.statusMessage,
    statusDetail: view.statusDetail,
    failureReason: view.failureReason,
    priceCredits: view.priceCredits,
    output: view.output,
    downloadUrl: view.outputKeys ? `${apiBaseUrl}/generations/${view.id}/download` : null,
    createdAt: view.createdAt.toISOString(),
    startedAt: iso(view.startedAt),
    finishedAt: iso(view.finishedAt),
  };
}

export function toAssetResource(asset: Asset): z.input<typeof assetResourceSchema> {
  return {
    id: asset.id,
    object: "asset",
    kind: asset.kind,
    mime: asset.mime,
    name: asset.originalName,
    width: asset.width,
    height: asset.height,
    durationMs: asset.durationMs,
    bytes: asset.bytes,
    sha256: asset.sha256,
    createdAt: asset.createdAt.toISOString(),
  };
}
