import type { ColumnType, Selectable } from "kysely";

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type ApiKeyScope = "read" | "generate";

/** Developer API keys: only the secret's SHA-256 is stored (see @animateimg/auth api-keys). */
export interface ApiKeysTable {
  id: string;
  user_id: string;
  name: string;
  secret_hash: Uint8Array;
  scopes: ApiKeyScope[];
  requests_per_minute: number;
  created_at: CreatedAt;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export type ApiKeyRow = Selectable<ApiKeysTable>;

export interface DeveloperApiTables {
  api_keys: ApiKeysTable;
}
