import { ApplicationFailure } from "@temporalio/common";
import { isAppError, isRetryableCode } from "@animateimg/core";
import { purgeAssetBlobs } from "@animateimg/assets";
import type { Db } from "@animateimg/db";
import type { BlobStore } from "@animateimg/storage";

export interface StorageActivityDeps {
  db: Db;
  blobStore: BlobStore;
}

export function createStorageActivities({ db, blobStore }: StorageActivityDeps) {
  return {
    /**
     * Removes the blobs of an asset the user deleted (the row is already hidden). Idempotent;
     * storage outages are thrown as ordinary errors so Temporal retries them.
     */
    async deleteAssetBlobs(assetId: string): Promise<{ deletedKeys: string[] }> {
      try {
        return await purgeAssetBlobs(db, { store: blobStore, assetId });
      } catch (error) {
        if (isAppError(error) && !isRetryableCode(error.code)) {
          throw ApplicationFailure.nonRetryable(error.message, error.reason ?? error.code);
        }
        throw error;
      }
    },
  };
}
