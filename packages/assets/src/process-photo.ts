import { createHash } from "node:crypto";
import decodeHeic from "heic-decode";
import sharp from "sharp";
import type { Metadata, OutputInfo, Sharp } from "sharp";
import { AppError } from "@animateimg/core";
import { findPolyglot } from "./sniff-content";
import { formatBytes, type PhotoLimits } from "./upload-limits";

export type PhotoFormat = "jpeg" | "png" | "webp" | "avif" | "heic";

export interface ProcessedPhoto {
  /** The re-encoded photo: JPEG, or PNG when it has transparency. No EXIF, no GPS. */
  original: { bytes: Buffer; mime: "image/jpeg" | "image/png" };
  thumbnail: { bytes: Buffer; mime: "image/webp" };
  width: number;
  height: number;
  sha256: string;
}

export const THUMBNAIL_SIZE = 512;
const acceptedPhotos = "JPEG, PNG, WebP, AVIF or HEIC";

/**
 * Checks a photo whose type was already sniffed, then re-encodes it. The order matters: byte
 * limit, hidden second formats, pixel limits from the header alone (so a 100 000 × 100 000
 * "pixel flood" is refused without allocating its pixels), then a full decode that refuses
 * truncated data, then a re-encode that drops every metadata block (EXIF, GPS, XMP, ICC
 * comments) after applying the EXIF orientation.
 *
 * HEIC: sharp's prebuilt libvips reads HEIF headers but has no HEVC decoder (patents), so
 * HEIC pixels come from `heic-decode` (libheif compiled to WebAssembly, with libde265), and
 * sharp takes over from raw RGBA.
 */
export async function processPhoto(bytes: Buffer, format: PhotoFormat, limits: PhotoLimits): Promise<ProcessedPhoto> {
  if (bytes.length > limits.maxBytes) {
    throw new AppError(
      "PAYLOAD_TOO_LARGE",
      `Photos may be at most ${formatBytes(limits.maxBytes)}; this one is ${formatBytes(bytes.length)}.`,
      { reason: "photo_too_large", params: { max: formatBytes(limits.maxBytes), size: formatBytes(bytes.length) } },
    );
  }
  const hidden = findPolyglot(bytes, format);
  if (hidden) {
    throw new AppError(
      "UNSUPPORTED_MEDIA_TYPE",
      `This file is a photo with something else hidden inside it (${hidden}), so we refused it. Open it in a photo editor, save it again, and upload the new copy.`,
      { reason: "polyglot_refused", params: hiddenParams(hidden) },
    );
  }

  let header: Metadata;
  try {
    header = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (cause) {
    throw corrupt(cause);
  }
  const headerWidth = header.autoOrient?.width ?? header.width;
  const headerHeight = header.autoOrient?.height ?? header.height;
  if (!headerWidth || !headerHeight) throw corrupt();
  checkDimensions(headerWidth, headerHeight, limits);

  let pipeline: Sharp;
  let hasAlpha: boolean;
  if (format === "heic") {
    ({ pipeline, hasAlpha } = await decodeHeicToSharp(bytes, limits));
  } else {
    const input = () => sharp(bytes, { failOn: "error", limitInputPixels: limits.maxPixels, animated: false });
    // A bounded decode: a pathological file that is slow to decode fails instead of pinning a core.
    pipeline = input().autoOrient().timeout({ seconds: 30 });
    // An alpha channel is often present but fully opaque (AVIF, screenshots): those become JPEG.
    hasAlpha =
      header.hasAlpha === true &&
      !(await input()
        .stats()
        .then(
          (stats) => stats.isOpaque,
          (cause: unknown) => Promise.reject(corrupt(cause)),
        ));
  }

  let encoded: { data: Buffer; info: OutputInfo };
  try {
    encoded = hasAlpha
      ? await pipeline.png({ compressionLevel: 9 }).toBuffer({ resolveWithObject: true })
      : await pipeline
          .flatten({ background: "#ffffff" })
          .jpeg({ quality: 92, mozjpeg: true })
          .toBuffer({ resolveWithObject: true });
  } catch (cause) {
    throw corrupt(cause);
  }
  const { width, height } = encoded.info;
  checkDimensions(width, height, limits);
  const original = { bytes: encoded.data, mime: hasAlpha ? ("image/png" as const) : ("image/jpeg" as const) };
  const thumbnail = await sharp(original.bytes)
    .resize({ width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE, fit: "inside", withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer();
  return {
    original,
    thumbnail: { bytes: thumbnail, mime: "image/webp" },
    width,
    height,
    sha256: createHash("sha256").update(original.bytes).digest("hex"),
  };
}

export function checkDimensions(width: number, height: number, limits: PhotoLimits) {
  if (width * height > limits.maxPixels || width > limits.maxSide || height > limits.maxSide) {
    throw new AppError(
      "PAYLOAD_TOO_LARGE",
      `This photo is ${width} × ${height} pixels; photos may be at most ${limits.maxPixels / 1_000_000} megapixels and ${limits.maxSide} pixels on a side. Resize it and upload it again.`,
      {
        reason: "too_many_pixels",
        params: { width, height, megapixels: limits.maxPixels / 1_000_000, maxSide: limits.maxSide },
      },
    );
  }
  if (width < limits.minSide || height < limits.minSide) {
    throw new AppError(
      "UNPROCESSABLE_CONTENT",
      `This photo is ${width} × ${height} pixels; photos must be at least ${limits.minSide} pixels on each side.`,
      { reason: "photo_too_small", params: { width, height, minSide: limits.minSide } },
    );
  }
}

async function decodeHeicToSharp(bytes: Buffer, limits: PhotoLimits): Promise<{ pipeline: Sharp; hasAlpha: boolean }> {
  // heic-decode's typings omit the size it reports before decoding.
  let images: Array<{
    width: number;
    height: number;
    decode(): Promise<{ width: number; height: number; data: Uint8ClampedArray }>;
  }>;
  try {
    images = (await decodeHeic.all({ buffer: bytes })) as unknown as typeof images;
  } catch (cause) {
    throw corrupt(cause);
  }
  const dispose = (images as unknown as { dispose?: () => void }).dispose;
  try {
    const primary = images[0];
    if (!primary) throw corrupt();
    // The decoder reports the size before decoding: check it first, like the header above.
    checkDimensions(primary.width, primary.height, limits);
    const { width, height, data } = await primary.decode().catch((cause: unknown) => {
      throw corrupt(cause);
    });
    const rgba = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const hasAlpha = !isOpaque(rgba);
    const pipeline = sharp(rgba, { raw: { width, height, channels: 4 } });
    return { pipeline: hasAlpha ? pipeline : pipeline.removeAlpha(), hasAlpha };
  } finally {
    dispose?.call(images);
  }
}

function isOpaque(rgba: Buffer): boolean {
  for (let index = 3; index < rgba.length; index += 4) if (rgba[index] !== 255) return false;
  return true;
}

/** The hidden format as a code for the reader's dictionary (findPolyglot words it in English). */
function hiddenParams(hidden: string): { hidden: string; marker: string } {
  const coded: Record<string, string> = {
    "a PDF document": "pdf",
    "a ZIP archive": "zip",
    "data after the end of the image": "trailing_data",
  };
  return { hidden: coded[hidden] ?? "markup", marker: /^markup \((.*)\)$/.exec(hidden)?.[1] ?? "" };
}

function corrupt(cause?: unknown): AppError {
  return new AppError(
    "UNPROCESSABLE_CONTENT",
    `This photo is damaged or incomplete, so we can't read it. Export it again as ${acceptedPhotos} and upload the new copy.`,
    { reason: "corrupt_image", cause },
  );
}
