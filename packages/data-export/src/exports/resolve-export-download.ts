import type { Executor } from "@animateimg/db";
import { getOwnDataExport } from "./data-export-records";
import type { ExportLinks } from "./export-links";
import { exportFileName } from "./export-settings";

export type ExportDownload =
  | { kind: "ready"; blobKey: string; fileName: string; expiresAt: Date }
  /** The download window has passed (410 Gone: the archive is deleted or about to be). */
  | { kind: "expired" }
  /** Not yet built, or it failed: nothing to download. */
  | { kind: "not_ready" }
  /** No such export for this person, or a link that does not verify. */
  | { kind: "not_found" };

/**
 * Who may download an archive: its owner, signed in (`userId` from the session), or whoever
 * holds the signed link from the email (`token`). Either way the export is looked up with its
 * owner in SQL, so another person's session or a link for another export finds nothing.
 */
export async function resolveExportDownload(
  db: Executor,
  options: ({ userId: string; exportId: string } | { token: string; links: ExportLinks }) & { now?: Date },
): Promise<ExportDownload> {
  const now = options.now ?? new Date();
  let owner: { userId: string; exportId: string };
  if ("token" in options) {
    const verified = options.links.verify(options.token, now);
    if (!verified.ok) return { kind: verified.reason === "expired" ? "expired" : "not_found" };
    owner = { userId: verified.userId, exportId: verified.exportId };
  } else {
    owner = { userId: options.userId, exportId: options.exportId };
  }
  const found = await getOwnDataExport(db, { ...owner, now });
  if (!found) return { kind: "not_found" };
  if (found.status === "expired") return { kind: "expired" };
  if (found.status !== "ready" || !found.blobKey || !found.expiresAt) return { kind: "not_ready" };
  return {
    kind: "ready",
    blobKey: found.blobKey,
    fileName: exportFileName(found.createdAt),
    expiresAt: found.expiresAt,
  };
}
