import { open, readFile, stat } from "node:fs/promises";
import { AppError } from "@animateimg/core";
import type { Executor } from "@animateimg/db";
import type { FfmpegBinaries } from "@animateimg/media";
import type { BlobStore } from "@animateimg/storage";
import { toAsset, type Asset } from "./asset";
import { sanitizeDisplayName } from "./display-name";
import { processPhoto } from "./process-photo";
import { processReferenceVideo } from "./process-reference-video";
import { mimeByFormat, sniffContent } from "./sniff-content";
import {
  defaultPhotoLimits,
  defaultReferenceVideoLimits,
  formatBytes,
  type PhotoLimits,
  type ReferenceVideoLimits,
} from "./upload-limits";

export interface CreateAssetOptions {
  store: BlobStore;
  userId: string;
  /** The upload as received, spooled to a temporary file by the caller (who removes it). */
  filePath: string;
  /** The name the browser sent; a label only. */
  fileName?: string | null | undefined;
  /** Refuse the other kind ("Please choose a photo here"). */
  expect?: "image" | "video" | undefined;
  photoLimits?: PhotoLimits | undefined;
  videoLimits?: ReferenceVideoLimits | undefined;
  binaries?: FfmpegBinaries | undefined;
}

const notAcceptedMessage =
  "This file is not a photo we can read (JPEG, PNG, WebP, AVIF or HEIC) or a reference video (MP4, MOV or WebM).";

/**
 * Validates an upload by its content, re-encodes photos (stripping metadata), makes the
 * thumbnail (and poster for videos), stores the blobs and records the asset row. Blobs
 * already stored are removed again if anything after them fails.
 */
export async function createAssetFromUpload(db: Executor, options: CreateAssetOptions): Promise<Asset> {
  const photoLimits = options.photoLimits ?? defaultPhotoLimits;
  const videoLimits = options.videoLimits ?? defaultReferenceVideoLimits;
  const { size } = await stat(options.filePath);
  if (size === 0) {
    throw new AppError(
      "BAD_REQUEST",
      "This file is empty (0 bytes). Choose it again; it may not have finished downloading.",
      {
        reason: "empty_file",
      },
    );
  }
  const sniffed = sniffContent(await readHead(options.filePath, 4096));
  if (sniffed.kind === "refused") {
    throw sniffed.format === "svg"
      ? new AppError(
          "UNSUPPORTED_MEDIA_TYPE",
          "SVG images are not accepted because they can carry scripts. Export the picture as PNG or JPEG and upload that.",
          {
            reason: "svg_refused",
          },
        )
      : new AppError(
          "UNSUPPORTED_MEDIA_TYPE",
          `This file is a web page or script, not a photo. ${notAcceptedMessage.replace("This file is not", "We accept")}`,
          {
            reason: "markup_refused",
          },
        );
  }
  if (sniffed.kind === "unknown")
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", notAcceptedMessage, { reason: "unsupported_type" });
  if (options.expect && options.expect !== sniffed.kind) {
    throw new AppError(
      "UNSUPPORTED_MEDIA_TYPE",
      options.expect === "image"
        ? "Please choose a photo here (JPEG, PNG, WebP, AVIF or HEIC); this file is a video."
        : "Please choose a reference video here (MP4, MOV or WebM); this file is a photo.",
      { reason: "wrong_kind", params: { expected: options.expect } },
    );
  }

  const originalName = sanitizeDisplayName(options.fileName);
  const stored: string[] = [];
  const put = async (source: Uint8Array | { path: string }, contentType: string, name: string) => {
    const blob = await options.store.put(source, { contentType, name });
    stored.push(blob.key);
    return blob.key;
  };

  try {
    if (sniffed.kind === "image") {
      if (size > photoLimits.maxBytes) {
        throw new AppError(
          "PAYLOAD_TOO_LARGE",
          `Photos may be at most ${formatBytes(photoLimits.maxBytes)}; this one is ${formatBytes(size)}.`,
          { reason: "photo_too_large", params: { max: formatBytes(photoLimits.maxBytes), size: formatBytes(size) } },
        );
      }
      const photo = await processPhoto(await readFile(options.filePath), sniffed.format, photoLimits);
      const originalKey = await put(photo.original.bytes, photo.original.mime, "original");
      const thumbnailKey = await put(photo.thumbnail.bytes, photo.thumbnail.mime, "thumbnail");
      const row = await db
        .insertInto("assets")
        .values({
          user_id: options.userId,
          kind: "image",
          mime: photo.original.mime,
          original_name: originalName,
          width: photo.width,
          height: photo.height,
          duration_ms: null,
          bytes: photo.original.bytes.length,
          sha256: photo.sha256,
          storage_driver: options.store.driver,
          original_key: originalKey,
          thumbnail_key: thumbnailKey,
          poster_key: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toAsset(row);
    }

    const video = await processReferenceVideo(options.filePath, videoLimits, { binaries: options.binaries });
    const mime = mimeByFormat[sniffed.format];
    const originalKey = await put({ path: options.filePath }, mime, "original");
    const posterKey = await put(video.poster.bytes, video.poster.mime, "poster");
    const thumbnailKey = await put(video.thumbnail.bytes, video.thumbnail.mime, "thumbnail");
    const row = await db
      .insertInto("assets")
      .values({
        user_id: options.userId,
        kind: "video",
        mime,
        original_name: originalName,
        width: video.width,
        height: video.height,
        duration_ms: video.durationMs,
        bytes: video.bytes,
        sha256: video.sha256,
        storage_driver: options.store.driver,
        original_key: originalKey,
        thumbnail_key: thumbnailKey,
        poster_key: posterKey,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAsset(row);
  } catch (error) {
    await Promise.allSettled(stored.map((key) => options.store.delete(key)));
    throw error;
  }
}

async function readHead(filePath: string, length: number): Promise<Buffer> {
  const file = await open(filePath, "r");
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
