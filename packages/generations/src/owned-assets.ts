import { listOwnedAssetKinds } from "@animateimg/assets";
import type { Db } from "@animateimg/db";
import type { OwnedAssetLookup } from "./orchestrator";

/** Reads the caller's own, undeleted assets among `assetIds` (assets owns the query; the owner is checked in it). */
export function createDbAssetLookup(db: Db): OwnedAssetLookup {
  return (userId, assetIds) => listOwnedAssetKinds(db, { userId, assetIds });
}
