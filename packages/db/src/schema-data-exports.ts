import type { ColumnType, Generated, Selectable } from "kysely";

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type DataExportStatus = "queued" | "running" | "ready" | "failed" | "expired";

/** A person's data export archive (owned by @animateimg/data-export). */
export interface DataExportsTable {
  id: Generated<string>;
  user_id: string;
  status: Generated<DataExportStatus>;
  progress: Generated<number>;
  blob_key: string | null;
  storage_driver: string | null;
  /** bigint (the client parses int8 as a number). */
  size_bytes: ColumnType<number | null, number | null | undefined, number | null>;
  error_code: string | null;
  created_at: CreatedAt;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  expires_at: NullableTimestamp;
  blob_deleted_at: NullableTimestamp;
}

export type DataExportRow = Selectable<DataExportsTable>;

export interface DataExportTables {
  data_exports: DataExportsTable;
}
