import { Context } from "@temporalio/activity";
import { ApplicationFailure } from "@temporalio/common";
import {
  buildExportArchive,
  exportExpiry,
  getDataExportForBuild,
  markDataExportFailed,
  markDataExportReady,
  markDataExportRunning,
  recordDataExportProgress,
  type ExportLinks,
} from "@animateimg/data-export";
import type { Db } from "@animateimg/db";
import { createMailer, renderDataExportReadyEmail, type Mailer } from "@animateimg/email";
import type { BlobStore } from "@animateimg/storage";

/** What the export activities need beyond the database and storage; defaults suit tests. */
export interface DataExportSettings {
  /** Sends the "ready" email; default: the outbox table. */
  mailer?: Mailer;
  /** Signs the email's download link (needs BLOB_URL_SECRET); without it the email points to Settings. */
  links?: ExportLinks;
  /** Public origin of the web app, for the Settings link. */
  appUrl?: string;
  /** Days an archive can be downloaded (DATA_EXPORT_DOWNLOAD_DAYS, default 7). */
  downloadDays?: number;
}

export interface DataExportActivityDeps {
  db: Db;
  blobStore: BlobStore;
  dataExports?: DataExportSettings;
}

export function createDataExportActivities(deps: DataExportActivityDeps) {
  const settings = deps.dataExports ?? {};
  const mailer = settings.mailer ?? createMailer({ db: deps.db, from: "AnimateImg <no-reply@animateimg.local>" });
  const appUrl = (settings.appUrl ?? "http://localhost:3000").replace(/\/+$/, "");

  return {
    /**
     * Builds the archive into storage and marks the export ready. Heartbeats carry the
     * percentage (a dead worker is noticed within the heartbeat timeout and the build starts
     * over elsewhere); the same percentage goes to the row, once per point, for Settings.
     * Idempotent: an export already ready (a retry after a lost completion) is not built again.
     */
    async buildDataExport(exportId: string): Promise<{ status: "ready" | "not_pending"; sizeBytes: number }> {
      const row = await getDataExportForBuild(deps.db, exportId);
      if (!row) throw ApplicationFailure.nonRetryable(`No export ${exportId}.`, "export_not_found");
      if (row.status === "ready") return { status: "ready", sizeBytes: row.size_bytes ?? 0 };
      if (row.status !== "queued" && row.status !== "running") return { status: "not_pending", sizeBytes: 0 };
      await markDataExportRunning(deps.db, { exportId });
      const context = Context.current();
      let percent = 0;
      let written = 0;
      let writes: Promise<void> = Promise.resolve();
      // Between progress callbacks (a slow database page, a slow store) the build still says it is alive.
      const alive = setInterval(() => context.heartbeat({ progress: percent }), 5000);
      try {
        const built = await buildExportArchive(deps.db, {
          userId: row.user_id,
          store: deps.blobStore,
          onProgress: (fraction) => {
            percent = Math.floor(fraction * 100);
            context.heartbeat({ progress: percent });
            if (percent > written) {
              written = percent;
              const value = percent;
              writes = writes.then(() => recordDataExportProgress(deps.db, { exportId, progress: value }));
            }
          },
        });
        await writes;
        const finishedAt = new Date();
        const ready = await markDataExportReady(deps.db, {
          exportId,
          blobKey: built.key,
          storageDriver: deps.blobStore.driver,
          sizeBytes: built.bytes,
          finishedAt,
          expiresAt: exportExpiry(finishedAt, settings.downloadDays),
        });
        // The row left queued/running meanwhile (the account was deleted): nothing may keep the archive.
        if (!ready) {
          await deps.blobStore.delete(built.key);
          return { status: "not_pending", sizeBytes: 0 };
        }
        return { status: "ready", sizeBytes: built.bytes };
      } finally {
        clearInterval(alive);
        await writes.catch(() => {});
      }
    },

    /** The "your export is ready" email, with a signed link that works until the archive expires. */
    async sendDataExportReadyEmail(exportId: string): Promise<{ sent: boolean }> {
      const row = await getDataExportForBuild(deps.db, exportId);
      if (!row || row.status !== "ready" || !row.expires_at) return { sent: false };
      const settingsUrl = `${appUrl}/settings?section=data-export`;
      const url = settings.links
        ? settings.links.urlFor({ exportId, userId: row.user_id, expiresAt: row.expires_at })
        : settingsUrl;
      await mailer.send({
        to: row.email,
        kind: "data_export_ready",
        ...renderDataExportReadyEmail({
          name: row.name,
          url,
          expiresAt: row.expires_at,
          sizeBytes: row.size_bytes ?? 0,
          settingsUrl,
          locale: row.locale,
        }),
      });
      return { sent: true };
    },

    /** After the build gave up: Settings shows the failure and offers a new export. */
    async failDataExport(options: { exportId: string; errorCode: string }): Promise<void> {
      await markDataExportFailed(deps.db, options);
    },
  };
}
