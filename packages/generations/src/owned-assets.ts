import type { Db } from "@animateimg/db";
import type { OwnedAssetLookup } from "./orchestrator";

/** Reads the caller's own, undeleted assets among `assetIds` (owner checked in the query). */
export function createDbAssetLookup(db: Db): OwnedAssetLookup {
  return async (userId, assetIds) => {
    if (assetIds.length === 0) return [];
    const rows = await db
      .selectFrom("assets")
      .select(["id", "kind", "duration_ms"])
      .where("user_id", "=", userId)
      .where("id", "in", assetIds)
      .where("deleted_at", "is", null)
      .execute();
    return rows.map((row) => ({ id: row.id, kind: row.kind, durationMs: row.duration_ms }));
  };
}
