import type { BlobUrlSigner } from "@animateimg/storage";

/**
 * The download link in the "your export is ready" email. It is the storage package's signed
 * token (HMAC over key, subject and expiry) with a key that names the export rather than a
 * blob, `data-export:<id>`: the blob route can never serve it (no asset has that key), and the
 * export route checks the export still belongs to the subject and is inside its window. The
 * token expires with the archive, so the link needs no session (it may be opened on another
 * device) and dies with the download window.
 */
export interface ExportLinks {
  urlFor(grant: { exportId: string; userId: string; expiresAt: Date; now?: Date }): string;
  verify(
    token: string,
    now?: Date,
  ): { ok: true; exportId: string; userId: string } | { ok: false; reason: "expired" | "invalid" };
}

const KEY_PREFIX = "data-export:";
/** Where the web app serves the signed link (apps/web/src/app/api/data-exports/link/[token]). */
export const EXPORT_LINK_PATH = "/api/data-exports/link/";
/** Where the web app serves an export to its signed-in owner. */
export const exportDownloadPath = (exportId: string) => `/api/data-exports/${exportId}/download`;

export function createExportLinks({ signer, appUrl }: { signer: BlobUrlSigner; appUrl: string }): ExportLinks {
  const origin = appUrl.replace(/\/+$/, "");
  return {
    urlFor({ exportId, userId, expiresAt, now = new Date() }) {
      const ttlSeconds = Math.max(1, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
      const { token } = signer.sign({ key: `${KEY_PREFIX}${exportId}`, subject: userId }, { ttlSeconds, now });
      return `${origin}${EXPORT_LINK_PATH}${token}`;
    },
    verify(token, now = new Date()) {
      const verified = signer.verify(token, { now });
      if (!verified.ok) return { ok: false, reason: verified.reason === "expired" ? "expired" : "invalid" };
      if (!verified.grant.key.startsWith(KEY_PREFIX)) return { ok: false, reason: "invalid" };
      return { ok: true, exportId: verified.grant.key.slice(KEY_PREFIX.length), userId: verified.grant.subject };
    },
  };
}
