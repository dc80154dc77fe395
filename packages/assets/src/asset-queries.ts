import { AppError } from "@animateimg/core";
import type { AssetKind, Executor } from "@animateimg/db";
import type { BlobStore } from "@animateimg/storage";
import { toAsset, type Asset } from "./asset";

const notFound = () =>
  new AppError("NOT_FOUND", "This upload does not exist or was deleted.", { reason: "asset_not_found" });

const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** One live asset of this user; someone else's asset is "not found", never "forbidden". */
export async function getAsset(db: Executor, { userId, assetId }: { userId: string; assetId: string }): Promise<Asset> {
  if (!isUuid(assetId)) throw notFound();
  const row = await db
    .selectFrom("assets")
    .selectAll()
    .where("id", "=", assetId)
    .where("user_id", "=", userId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!row) throw notFound();
  return toAsset(row);
}

export interface ListAssetsOptions {
  userId: string;
  kind?: AssetKind | undefined;
  limit?: number | undefined;
  /** Keyset cursor: the last asset of the previous page. */
  before?: { createdAt: Date; id: string } | undefined;
}

/** This user's live assets, newest first. */
export async function listAssets(
  db: Executor,
  { userId, kind, limit = 50, before }: ListAssetsOptions,
): Promise<Asset[]> {
  let query = db
    .selectFrom("assets")
    .selectAll()
    .where("user_id", "=", userId)
    .where("deleted_at", "is", null)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(Math.min(Math.max(limit, 1), 200));
  if (kind) query = query.where("kind", "=", kind);
  if (before) {
    query = query.where((eb) =>
      eb.or([
        eb("created_at", "<", before.createdAt),
        eb.and([eb("created_at", "=", before.createdAt), eb("id", "<", before.id)]),
      ]),
    );
  }
  return (await query.execute()).map(toAsset);
}

/**
 * Hides an asset at once: it leaves every list, and the blob route stops serving its URLs.
 * The blobs are removed afterwards by `purgeAssetBlobs` (a workflow activity).
 */
export async function hideAsset(
  db: Executor,
  { userId, assetId }: { userId: string; assetId: string },
): Promise<Asset> {
  if (!isUuid(assetId)) throw notFound();
  // A generation still waiting for or rendering from this upload would lose its input.
  const inUse = await db
    .selectFrom("generations")
    .select("id")
    .where("user_id", "=", userId)
    .where((eb) =>
      eb.or([
        eb("image_asset_id", "=", assetId),
        eb("end_frame_asset_id", "=", assetId),
        eb("reference_video_asset_id", "=", assetId),
      ]),
    )
    .where("status", "in", ["queued", "running"])
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (inUse) {
    throw new AppError(
      "CONFLICT",
      "This upload is being animated right now. Delete it after the generation finishes, or cancel the generation first.",
      {
        reason: "asset_in_use",
      },
    );
  }
  const row = await db
    .updateTable("assets")
    .set({ deleted_at: new Date() })
    .where("id", "=", assetId)
    .where("user_id", "=", userId)
    .where("deleted_at", "is", null)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound();
  return toAsset(row);
}

/**
 * Undoes `hideAsset` when the workflow that would purge its blobs could not be started:
 * nothing stays hidden with its files still stored.
 */
export async function unhideAsset(
  db: Executor,
  { userId, assetId }: { userId: string; assetId: string },
): Promise<void> {
  await db
    .updateTable("assets")
    .set({ deleted_at: null })
    .where("id", "=", assetId)
    .where("user_id", "=", userId)
    .execute();
}

export interface AssetOriginal {
  id: string;
  originalKey: string;
  mime: string;
}

/**
 * The stored originals of this user's assets among `assetIds`, for a provider to fetch. Hidden
 * ones are not filtered out (as the submit always read them): `hideAsset` already refuses while
 * a queued or running generation uses the asset.
 */
export async function listAssetOriginals(
  db: Executor,
  { userId, assetIds }: { userId: string; assetIds: readonly string[] },
): Promise<AssetOriginal[]> {
  const rows = await db
    .selectFrom("assets")
    .select(["id", "original_key", "mime"])
    .where("user_id", "=", userId)
    .where("id", "in", assetIds)
    .execute();
  return rows.map((row) => ({ id: row.id, originalKey: row.original_key, mime: row.mime }));
}

/**
 * Removes the blobs of a hidden asset. Idempotent, so a retried activity is harmless; refuses
 * to touch an asset that is not hidden (a bug, not a retry).
 */
export async function purgeAssetBlobs(
  db: Executor,
  { store, assetId }: { store: BlobStore; assetId: string },
): Promise<{ deletedKeys: string[] }> {
  const row = await db.selectFrom("assets").selectAll().where("id", "=", assetId).executeTakeFirst();
  if (!row) return { deletedKeys: [] };
  if (!row.deleted_at) {
    throw new AppError("PRECONDITION_FAILED", "Only a deleted upload's files can be removed.", {
      reason: "asset_not_deleted",
    });
  }
  const keys = [row.original_key, row.thumbnail_key, row.poster_key].filter((key): key is string => key !== null);
  if (row.blobs_deleted_at) return { deletedKeys: [] };
  for (const key of keys) await store.delete(key);
  await db.updateTable("assets").set({ blobs_deleted_at: new Date() }).where("id", "=", assetId).execute();
  return { deletedKeys: keys };
}

export interface BlobAccess {
  /** The user whose data this blob is. */
  ownerId: string;
  /** Shown in the public gallery (a non-private, finished generation's output). */
  isPublic: boolean;
}

/**
 * Who a blob belongs to, if it still belongs to anything live: an asset that is not deleted,
 * or the output of a generation that is not deleted. Deleted things answer null, which is
 * what makes their signed URLs stop working at once.
 */
export async function findBlobAccess(db: Executor, { key }: { key: string }): Promise<BlobAccess | null> {
  const asset = await db
    .selectFrom("assets")
    .select("user_id")
    .where((eb) => eb.or([eb("original_key", "=", key), eb("thumbnail_key", "=", key), eb("poster_key", "=", key)]))
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (asset) return { ownerId: asset.user_id, isPublic: false };
  const generation = await db
    .selectFrom("generations")
    .select(["user_id", "private", "status"])
    .where((eb) => eb.or([eb("output_video_key", "=", key), eb("output_poster_key", "=", key)]))
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (generation)
    return { ownerId: generation.user_id, isPublic: !generation.private && generation.status === "succeeded" };
  return null;
}

/**
 * Removes the rows of these uploads that their owner already deleted and that no generation
 * names any more (the retention sweep calls it as it removes deleted generations, whose inputs
 * they were). Returns the stored files still to delete: none when the upload's own removal
 * already deleted them (blobs_deleted_at), which is the usual case.
 */
export async function eraseDeletedAssetsNoLongerUsed(
  db: Executor,
  { assetIds }: { assetIds: readonly string[] },
): Promise<{ erased: number; blobKeys: string[] }> {
  if (assetIds.length === 0) return { erased: 0, blobKeys: [] };
  const rows = await db
    .deleteFrom("assets")
    .where("id", "in", [...new Set(assetIds)])
    .where("deleted_at", "is not", null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("generations as g")
            .select("g.id")
            .where((g) =>
              g.or([
                g("g.image_asset_id", "=", g.ref("assets.id")),
                g("g.end_frame_asset_id", "=", g.ref("assets.id")),
                g("g.reference_video_asset_id", "=", g.ref("assets.id")),
              ]),
            ),
        ),
      ),
    )
    .returning(["original_key", "thumbnail_key", "poster_key", "blobs_deleted_at"])
    .execute();
  const blobKeys = rows
    .filter((row) => row.blobs_deleted_at === null)
    .flatMap((row) => [row.original_key, row.thumbnail_key, row.poster_key])
    .filter((key): key is string => key !== null);
  return { erased: rows.length, blobKeys };
}

/** The caller's own, undeleted assets among `assetIds` (owner checked in the query): what a new generation may use. */
export async function listOwnedAssetKinds(
  db: Executor,
  { userId, assetIds }: { userId: string; assetIds: readonly string[] },
): Promise<Array<{ id: string; kind: Asset["kind"]; durationMs: number | null }>> {
  if (assetIds.length === 0) return [];
  const rows = await db
    .selectFrom("assets")
    .select(["id", "kind", "duration_ms"])
    .where("user_id", "=", userId)
    .where("id", "in", [...assetIds])
    .where("deleted_at", "is", null)
    .execute();
  return rows.map((row) => ({ id: row.id, kind: row.kind, durationMs: row.duration_ms }));
}
