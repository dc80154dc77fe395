import type { AssetKind, AssetRow } from "@animateimg/db";

/** An upload as the rest of the app sees it. */
export interface Asset {
  id: string;
  userId: string;
  kind: AssetKind;
  mime: string;
  originalName: string;
  width: number;
  height: number;
  durationMs: number | null;
  bytes: number;
  sha256: string;
  storageDriver: string;
  originalKey: string;
  thumbnailKey: string;
  posterKey: string | null;
  createdAt: Date;
}

export function toAsset(row: AssetRow): Asset {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    mime: row.mime,
    originalName: row.original_name,
    width: row.width,
    height: row.height,
    durationMs: row.duration_ms,
    bytes: Number(row.bytes),
    sha256: row.sha256,
    storageDriver: row.storage_driver,
    originalKey: row.original_key,
    thumbnailKey: row.thumbnail_key,
    posterKey: row.poster_key,
    createdAt: row.created_at,
  };
}
