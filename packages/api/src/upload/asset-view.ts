import { z } from "zod";
import { signAssetUrls, type Asset } from "@animateimg/assets";
import type { BlobUrlSigner } from "@animateimg/storage";

export const assetViewSchema = z.object({
  id: z.string().uuid(),
  kind: z.enum(["image", "video"]),
  mime: z.string(),
  name: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  durationMs: z.number().int().positive().nullable(),
  bytes: z.number().int().positive(),
  sha256: z.string(),
  createdAt: z.date(),
  urls: z.object({
    original: z.string(),
    thumbnail: z.string(),
    poster: z.string().nullable(),
    expiresAt: z.date(),
  }),
});

export type AssetView = z.infer<typeof assetViewSchema>;

/** An asset as its owner's browser sees it: no blob keys, only short-lived signed URLs. */
export function toAssetView(
  asset: Asset,
  signer: BlobUrlSigner,
  options: { subject: string; ttlSeconds?: number | undefined },
): AssetView {
  return {
    id: asset.id,
    kind: asset.kind,
    mime: asset.mime,
    name: asset.originalName,
    width: asset.width,
    height: asset.height,
    durationMs: asset.durationMs,
    bytes: asset.bytes,
    sha256: asset.sha256,
    createdAt: asset.createdAt,
    urls: signAssetUrls(signer, asset, {
      subject: options.subject,
      ...(options.ttlSeconds ? { ttlSeconds: options.ttlSeconds } : {}),
    }),
  };
}
