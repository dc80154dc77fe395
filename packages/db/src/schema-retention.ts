import type { ColumnType } from "kysely";

/** Where a retention class walking a listing stopped (owned by @animateimg/retention). */
export interface RetentionCursorsTable {
  class_id: string;
  cursor: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

// Added to Database by declaration merging (schema.ts imports this file), so this table's
// types live here without every parallel schema change editing Database's one `extends` line.
declare module "./schema" {
  interface Database {
    retention_cursors: RetentionCursorsTable;
  }
}
