import type { BlobUrlSigner } from "@animateimg/storage";
import type { Asset } from "./asset";

export interface AssetUrls {
  original: string;
  thumbnail: string;
  poster: string | null;
  expiresAt: Date;
}

/** Path of the blob route; the web app serves `/api/blobs/{token}`. */
export const blobUrlPath = (token: string) => `/api/blobs/${token}`;

/** Short-lived URLs for an asset, usable only by `subject` (the owner's user id). */
export function signAssetUrls(
  signer: BlobUrlSigner,
  asset: Asset,
  { subject, ttlSeconds }: { subject: string; ttlSeconds?: number },
): AssetUrls {
  const sign = (key: string, filename?: string) =>
    signer.sign({ key, subject, ...(filename ? { filename } : {}) }, { ttlSeconds });
  const original = sign(asset.originalKey, asset.originalName);
  return {
    original: blobUrlPath(original.token),
    thumbnail: blobUrlPath(sign(asset.thumbnailKey).token),
    poster: asset.posterKey ? blobUrlPath(sign(asset.posterKey).token) : null,
    expiresAt: original.expiresAt,
  };
}
