import { randomBytes } from "node:crypto";
import { openAsBlob } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  createAssetFromUpload,
  formatBytes,
  maxUploadBytes,
  referenceVideoLimitsByModel,
  type Asset,
  type ReferenceVideoLimits,
} from "@animateimg/assets";
import { forbiddenOriginResponse, isAllowedOrigin } from "@animateimg/auth";
import { AppError, isAppError } from "@animateimg/core";
import { consumeRateLimit } from "@animateimg/rate-limit";
import type { ApiDependencies } from "../trpc";
import { toAssetView } from "./asset-view";
import { jsonError, statusByCode } from "./http-status";
import { currentRequestContext } from "@animateimg/logging";

export interface UploadHttpHandlerOptions {
  getDependencies: () => ApiDependencies;
  /** Origins whose pages may upload (the app's public URL); same-host is also allowed. */
  allowedOrigins: readonly string[];
}

class BodyTooLarge extends Error {}

/**
 * POST /api/uploads — one file per request. The body is the file itself (what the uploader
 * sends, with its name in `X-File-Name`), or multipart/form-data with a `file` field. Either
 * way it is streamed to a temporary file and cut off past the byte cap, so a huge body never
 * sits in memory; then it is checked by content and stored (createAssetFromUpload).
 * `?kind=image|video` refuses the other kind; `?model=<id>` applies that model's video limits.
 */
export function createUploadHttpHandler(options: UploadHttpHandlerOptions) {
  return async (req: Request): Promise<Response> => {
    if (req.method !== "POST") return jsonError(405, "METHOD_NOT_SUPPORTED", "Uploads are sent with POST.");
    // Cookies ride along on cross-site form posts; only our own pages may upload.
    if (!isAllowedOrigin(req, { allowedOrigins: options.allowedOrigins })) return forbiddenOriginResponse();
    const deps = options.getDependencies();
    const session = await deps.resolveSession(req.headers);
    if (!session) return jsonError(401, "UNAUTHORIZED", "Please sign in to upload.");
    const uploads = deps.uploads;
    if (!uploads) return jsonError(503, "SERVICE_UNAVAILABLE", "Uploads are not configured on this server.");

    try {
      const asset = await receiveUpload(req, { deps, userId: session.user.id });
      const view = toAssetView(asset, uploads.signer, { subject: session.user.id, ttlSeconds: uploads.urlTtlSeconds });
      return Response.json({ asset: { ...view, createdAt: view.createdAt.toISOString() } }, { status: 201 });
    } catch (error) {
      if (isAppError(error)) {
        const response = jsonError(statusByCode[error.code], error.code, error.message, error.reason);
        if (error.retryAfterSeconds !== undefined) response.headers.set("retry-after", String(error.retryAfterSeconds));
        return response;
      }
      const log = currentRequestContext()?.log;
      if (log) log.error({ err: error }, "upload failed");
      else console.error("upload failed:", error);
      return jsonError(500, "INTERNAL_SERVER_ERROR", "The upload failed on our side. Please try again.");
    }
  };
}

/**
 * The body of an upload request (the file itself, or multipart/form-data with a `file` field)
 * checked and stored for `userId`: the one implementation behind POST /api/uploads and
 * POST /api/v1/uploads. Throws AppError (rate limit, size, kind, content) with a sentence a
 * person can act on.
 */
export async function receiveUpload(req: Request, options: { deps: ApiDependencies; userId: string }): Promise<Asset> {
  const { deps, userId } = options;
  const uploads = deps.uploads;
  if (!uploads)
    throw new AppError("SERVICE_UNAVAILABLE", "Uploads are not configured on this server.", {
      reason: "uploads_not_configured",
    });
  try {
    await consumeRateLimit(deps.db, {
      key: `upload:user:${userId}`,
      windowSeconds: 3600,
      max: uploads.maxUploadsPerHour ?? 120,
    });
  } catch (error) {
    if (!isAppError(error) || error.code !== "TOO_MANY_REQUESTS") throw error;
    const minutes = Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60));
    throw new AppError(
      "TOO_MANY_REQUESTS",
      `You have uploaded a lot in the last hour. Please try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      { reason: "too_many_uploads", params: { minutes }, retryAfterSeconds: error.retryAfterSeconds ?? 60 },
    );
  }

  const params = new URL(req.url).searchParams;
  const kindParam = params.get("kind");
  const expect = kindParam === "image" || kindParam === "video" ? kindParam : undefined;
  // `?model=` applies that model's reference-video limits (durations, size, codecs).
  const model = params.get("model");
  const modelLimits = model
    ? (referenceVideoLimitsByModel as Record<string, ReferenceVideoLimits | undefined>)[model]
    : undefined;
  if (model && !modelLimits) {
    throw new AppError("BAD_REQUEST", `There is no model called "${model}" that takes reference videos.`, {
      reason: "unknown_model",
      params: { model },
    });
  }
  const videoLimits = modelLimits ?? uploads.videoLimits;

  const cap = maxUploadBytes(uploads.photoLimits, videoLimits);
  const max = formatBytes(cap);
  const photoMax = formatBytes(uploads.photoLimits?.maxBytes ?? 20 * 1024 * 1024);
  const tooLarge = () =>
    new AppError("PAYLOAD_TOO_LARGE", `Uploads may be at most ${max} (photos ${photoMax}).`, {
      reason: "upload_too_large",
      params: { max, photoMax },
    });
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > cap + 64 * 1024) throw tooLarge();

  const scratch = path.join(uploads.scratchDir ?? tmpdir(), `animateimg-upload-${randomBytes(8).toString("hex")}`);
  await mkdir(scratch, { recursive: true, mode: 0o700 });
  try {
    const filePath = path.join(scratch, "body");
    let fileName: string | null = decodeHeaderName(req.headers.get("x-file-name"));
    const contentType = req.headers.get("content-type") ?? "";
    if (!req.body) {
      throw new AppError(
        "BAD_REQUEST",
        "This file is empty (0 bytes). Choose it again; it may not have finished downloading.",
        {
          reason: "empty_file",
        },
      );
    }
    const multipart = contentType.startsWith("multipart/form-data");
    // A multipart body carries a little more than the file (boundaries, part headers).
    await spool(req.body, filePath, multipart ? cap + 64 * 1024 : cap);
    if (multipart) {
      // The spooled body is within the cap, so parsing it in memory is bounded.
      const form = await new Response(await openAsBlob(filePath), {
        headers: { "content-type": contentType },
      }).formData();
      const file = form.get("file");
      if (!(file instanceof Blob))
        throw new AppError("BAD_REQUEST", "The upload has no file in its `file` field.", { reason: "missing_file" });
      fileName ??= file instanceof File ? file.name : null;
      const partPath = path.join(scratch, "file");
      await spool(file.stream(), partPath, cap);
      await rm(filePath);
      await rename(partPath, filePath);
    }
    return await createAssetFromUpload(deps.db, {
      store: uploads.store,
      userId,
      filePath,
      fileName,
      expect,
      photoLimits: uploads.photoLimits,
      videoLimits,
    });
  } catch (error) {
    if (error instanceof BodyTooLarge) throw tooLarge();
    throw error;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function spool(body: ReadableStream<Uint8Array>, filePath: string, cap: number): Promise<void> {
  const file = await open(filePath, "w", 0o600);
  const reader = body.getReader();
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > cap) throw new BodyTooLarge();
      await file.write(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    await file.close();
  }
}

function decodeHeaderName(value: string | null): string | null {
  if (!value) return null;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
