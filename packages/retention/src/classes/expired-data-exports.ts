// Data export archives past their download window (DATA_EXPORT_DOWNLOAD_DAYS, set on each
// archive as its expires_at when it is stored): the archive's file goes; the row stays as the
// "expired" entry Settings lists, holding no personal data.
import { listExpiredDataExports, markDataExportBlobDeleted } from "@animateimg/data-export";
import type { RetentionClass } from "../retention-class";

export const expiredDataExports: RetentionClass = {
  id: "expired-data-exports",
  description: "Data export archives past their expiry (DATA_EXPORT_DOWNLOAD_DAYS after they were ready)",
  async removeBatch({ db, blobStore, now }, { limit }) {
    const expired = await listExpiredDataExports(db, { now, limit });
    // File first, then the mark: a crash between them repeats the (idempotent) delete next time.
    for (const archive of expired) {
      await blobStore.delete(archive.blobKey);
      await markDataExportBlobDeleted(db, { exportId: archive.id, now });
    }
    return { removed: expired.length, cursor: expired.length < limit ? null : "more" };
  },
};
