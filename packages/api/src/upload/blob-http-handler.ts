import { findBlobAccess } from "@animateimg/assets";
import { parseRangeHeader, PROVIDER_SUBJECT, PUBLIC_SUBJECT, type BlobStore } from "@animateimg/storage";
import type { ApiDependencies } from "../trpc";
import { jsonError } from "./http-status";

export interface BlobHttpHandlerOptions {
  getDependencies: () => ApiDependencies;
}

/**
 * GET/HEAD /api/blobs/{token} — the only way bytes leave storage. The token must verify
 * (signature, expiry); a token for a user works only for that signed-in user; the blob must
 * still belong to a live asset or generation (so deleting one stops its URLs at once). Ranges
 * are served as 206, so videos seek. Responses carry nosniff and a sandboxing CSP, so even a
 * file that slipped through could not run as a page on our origin.
 */
export function createBlobHttpHandler(options: BlobHttpHandlerOptions) {
  return async (req: Request, token: string): Promise<Response> => {
    if (req.method !== "GET" && req.method !== "HEAD")
      return jsonError(405, "METHOD_NOT_SUPPORTED", "Files are read with GET.");
    const deps = options.getDependencies();
    const uploads = deps.uploads;
    if (!uploads) return jsonError(503, "SERVICE_UNAVAILABLE", "File storage is not configured on this server.");

    const verified = uploads.signer.verify(token);
    if (!verified.ok) {
      return verified.reason === "expired"
        ? jsonError(403, "FORBIDDEN", "This link has expired. Reload the page to get a fresh one.", "link_expired")
        : jsonError(403, "FORBIDDEN", "This link is not valid.", "link_invalid");
    }
    const { grant } = verified;
    const access = await findBlobAccess(deps.db, { key: grant.key });
    if (grant.subject === PUBLIC_SUBJECT) {
      if (!access?.isPublic)
        return jsonError(404, "NOT_FOUND", "This file does not exist or was deleted.", "blob_not_found");
    } else if (grant.subject === PROVIDER_SUBJECT) {
      // A provider fetching a generation's input: the short-lived token is the permission.
      if (!access) return jsonError(404, "NOT_FOUND", "This file does not exist or was deleted.", "blob_not_found");
    } else {
      const session = await deps.resolveSession(req.headers);
      if (!session || session.user.id !== grant.subject) {
        return jsonError(
          403,
          "FORBIDDEN",
          "This link belongs to another account. Sign in as its owner to open it.",
          "link_other_user",
        );
      }
      if (!access || access.ownerId !== grant.subject)
        return jsonError(404, "NOT_FOUND", "This file does not exist or was deleted.", "blob_not_found");
    }

    return serveStoredBlob(req, uploads.store, {
      key: grant.key,
      filename: grant.filename ?? null,
      maxAgeSeconds: Math.max(0, grant.expiresAt - Math.floor(Date.now() / 1000)),
    });
  };
}

/**
 * The bytes of a stored blob, once the caller's right to it is established: Range → 206,
 * HEAD without a body, and headers that keep a file from running as a page on our origin.
 * Used by /api/blobs/{token} and the REST API's download.
 */
export async function serveStoredBlob(
  req: Request,
  store: BlobStore,
  options: { key: string; filename: string | null; maxAgeSeconds: number; disposition?: "inline" | "attachment" },
): Promise<Response> {
  const stat = await store.stat(options.key);
  if (!stat) return jsonError(404, "NOT_FOUND", "This file does not exist or was deleted.", "blob_not_found");
  const headers = new Headers({
    "content-type": stat.contentType,
    "accept-ranges": "bytes",
    "cache-control": `private, max-age=${options.maxAgeSeconds}`,
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
    "cross-origin-resource-policy": "same-origin",
  });
  if (options.filename)
    headers.set(
      "content-disposition",
      `${options.disposition ?? "inline"}; filename*=UTF-8''${encodeURIComponent(options.filename)}`,
    );

  const parsed = parseRangeHeader(req.headers.get("range"), stat.size);
  if (parsed.kind === "unsatisfiable") {
    headers.set("content-range", `bytes */${stat.size}`);
    return new Response(null, { status: 416, headers });
  }
  const range = parsed.kind === "range" ? parsed.range : undefined;
  const length = range ? range.end - range.start + 1 : stat.size;
  headers.set("content-length", String(length));
  if (range) headers.set("content-range", `bytes ${range.start}-${range.end}/${stat.size}`);
  const status = range ? 206 : 200;
  if (req.method === "HEAD" || stat.size === 0) return new Response(null, { status, headers });

  const read = await store.get(options.key, range);
  if (!read) return jsonError(404, "NOT_FOUND", "This file does not exist or was deleted.", "blob_not_found");
  return new Response(read.body, { status, headers });
}
