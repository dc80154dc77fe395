import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type AssetKind = "image" | "video";

export interface AssetsTable {
  id: Generated<string>;
  user_id: string;
  kind: AssetKind;
  mime: string;
  original_name: string;
  width: number;
  height: number;
  duration_ms: number | null;
  bytes: number;
  sha256: string;
  storage_driver: string;
  original_key: string;
  thumbnail_key: string;
  poster_key: string | null;
  created_at: CreatedAt;
  deleted_at: NullableTimestamp;
  blobs_deleted_at: NullableTimestamp;
}

export interface AssetTables {
  assets: AssetsTable;
}

export type AssetRow = Selectable<AssetsTable>;
export type NewAssetRow = Insertable<AssetsTable>;
