import { createExportLinks, resolveExportDownload, type ExportDownload } from "@animateimg/data-export";
import type { ApiDependencies } from "../trpc";
import { serveStoredBlob } from "../upload/blob-http-handler";

/** Why a download was refused; the web app words it (its dictionaries) as a small page. */
export type ExportDownloadRefusal = "expired" | "not_found" | "not_ready" | "sign_in" | "unavailable";

export interface DataExportHttpHandlerOptions {
  getDependencies: () => ApiDependencies;
  /** An HTML page for a refusal, in the reader's language; the handler sets the status. */
  renderRefusal: (refusal: ExportDownloadRefusal) => Promise<string> | string;
}

const statusOf: Record<ExportDownloadRefusal, number> = {
  // Gone, not Not Found: the archive existed and its download window has passed.
  expired: 410,
  not_found: 404,
  not_ready: 409,
  sign_in: 401,
  unavailable: 503,
};

/**
 * GET /api/data-exports/{id}/download (the signed-in owner) and GET /api/data-exports/link/{token}
 * (the signed link from the email, no session needed). Either way the export is looked up with
 * its owner in SQL: another person's session, or a link for another export, finds nothing.
 */
export function createDataExportHttpHandler(options: DataExportHttpHandlerOptions) {
  const refuse = async (refusal: ExportDownloadRefusal) =>
    new Response(await options.renderRefusal(refusal), {
      status: statusOf[refusal],
      headers: {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
      },
    });

  return async (req: Request, target: { exportId: string } | { token: string }): Promise<Response> => {
    if (req.method !== "GET" && req.method !== "HEAD")
      return new Response(null, { status: 405, headers: { allow: "GET, HEAD" } });
    const deps = options.getDependencies();
    const uploads = deps.uploads;
    if (!uploads) return refuse("unavailable");
    let download: ExportDownload;
    if ("token" in target) {
      const links = createExportLinks({ signer: uploads.signer, appUrl: deps.accounts?.appUrl ?? "" });
      download = await resolveExportDownload(deps.db, { token: target.token, links });
    } else {
      const session = await deps.resolveSession(req.headers);
      if (!session) return refuse("sign_in");
      download = await resolveExportDownload(deps.db, { userId: session.user.id, exportId: target.exportId });
    }
    if (download.kind !== "ready") return refuse(download.kind);
    return serveStoredBlob(req, uploads.store, {
      key: download.blobKey,
      filename: download.fileName,
      disposition: "attachment",
      maxAgeSeconds: 0,
    });
  };
}
