// Files in storage that no row names: left by a step that stored a file and then failed before
// writing its row, or by a removal that deleted the row and crashed before the file. The safety
// age (RETENTION_UNREFERENCED_BLOB_HOURS) keeps a file whose row is about to be written.
import type { RetentionClass } from "../retention-class";
import { ago } from "../retention-settings";
import { referencedBlobKeys } from "./blob-references";

export const unreferencedBlobs: RetentionClass = {
  id: "unreferenced-blobs",
  description: "Stored files no row refers to, older than RETENTION_UNREFERENCED_BLOB_HOURS",
  // A store can hold more files than one run lists: the next run continues where this one stopped.
  keepsCursor: true,
  async removeBatch({ db, blobStore, now, settings }, { limit, cursor }) {
    const page = await blobStore.list({ cursor, limit });
    const cutoff = ago.hours(now, settings.unreferencedBlobHours);
    const old = page.blobs.filter((blob) => blob.storedAt < cutoff).map((blob) => blob.key);
    const referenced = await referencedBlobKeys(db, old);
    let removed = 0;
    for (const key of old) {
      if (referenced.has(key)) continue;
      await blobStore.delete(key);
      removed += 1;
    }
    return { removed, cursor: page.cursor };
  },
};
