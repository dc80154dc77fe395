import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { AppError } from "@animateimg/core";
import { extractPoster, probeVideo, type FfmpegBinaries, type VideoProbe } from "@animateimg/media";
import { THUMBNAIL_SIZE } from "./process-photo";
import { codecNames, formatBytes, type ReferenceVideoLimits } from "./upload-limits";

export interface ProcessedVideo {
  width: number;
  height: number;
  durationMs: number;
  bytes: number;
  sha256: string;
  codec: string;
  poster: { bytes: Buffer; mime: "image/jpeg" };
  thumbnail: { bytes: Buffer; mime: "image/webp" };
}

/**
 * Probes a reference video (ffprobe, through @animateimg/media) and checks it against the
 * model's limits, then takes a poster frame. The video itself is stored as uploaded: it is
 * only ever sent to the model, and served back with nosniff and its sniffed type.
 */
export async function processReferenceVideo(
  filePath: string,
  limits: ReferenceVideoLimits,
  options: { binaries?: FfmpegBinaries | undefined } = {},
): Promise<ProcessedVideo> {
  const { size } = await stat(filePath);
  if (size > limits.maxBytes) {
    throw new AppError(
      "PAYLOAD_TOO_LARGE",
      `${limits.model} reference videos may be at most ${formatBytes(limits.maxBytes)}; this one is ${formatBytes(size)}.`,
      {
        reason: "video_too_large",
        params: { model: limits.model, max: formatBytes(limits.maxBytes), size: formatBytes(size) },
      },
    );
  }
  let probe: VideoProbe;
  try {
    probe = await probeVideo(filePath, { binaries: options.binaries });
  } catch (cause) {
    throw new AppError(
      "UNPROCESSABLE_CONTENT",
      "This video is damaged or incomplete, so we can't read it. Export it again as MP4, MOV or WebM and upload the new copy.",
      { reason: "corrupt_video", cause },
    );
  }
  const allowed = limits.codecs.map((codec) => codecNames[codec] ?? codec).join(", ");
  if (!limits.codecs.includes(probe.codec)) {
    throw new AppError(
      "UNSUPPORTED_MEDIA_TYPE",
      `This video is encoded as ${codecNames[probe.codec] ?? probe.codec}; ${limits.model} reference videos must be ${allowed}. Export it again (H.264 MP4 works everywhere).`,
      {
        reason: "unsupported_codec",
        params: { codec: codecNames[probe.codec] ?? probe.codec, model: limits.model, allowed },
      },
    );
  }
  const durationMs = Math.round(probe.durationSeconds * 1000);
  if (durationMs < limits.minDurationMs || durationMs > limits.maxDurationMs) {
    throw new AppError(
      "UNPROCESSABLE_CONTENT",
      `This video is ${(durationMs / 1000).toFixed(1)} seconds long; ${limits.model} reference videos must be between ${limits.minDurationMs / 1000} and ${limits.maxDurationMs / 1000} seconds. Trim it and upload it again.`,
      {
        reason: "video_duration",
        params: {
          seconds: (durationMs / 1000).toFixed(1),
          model: limits.model,
          min: limits.minDurationMs / 1000,
          max: limits.maxDurationMs / 1000,
        },
      },
    );
  }
  if (probe.width > limits.maxWidth || probe.height > limits.maxHeight) {
    throw new AppError(
      "PAYLOAD_TOO_LARGE",
      `This video is ${probe.width} × ${probe.height} pixels; ${limits.model} reference videos may be at most ${limits.maxWidth} × ${limits.maxHeight}.`,
      {
        reason: "video_dimensions",
        params: {
          width: probe.width,
          height: probe.height,
          model: limits.model,
          maxWidth: limits.maxWidth,
          maxHeight: limits.maxHeight,
        },
      },
    );
  }

  const scratch = await mkdtemp(path.join(tmpdir(), "animateimg-poster-"));
  try {
    const posterPath = path.join(scratch, "poster.jpg");
    await extractPoster(filePath, posterPath, {
      binaries: options.binaries,
      width: Math.min(probe.width, 1280) - (Math.min(probe.width, 1280) % 2),
    });
    // Re-encoded by sharp like every image we keep: known format, no metadata.
    const poster = await sharp(await readFile(posterPath))
      .jpeg({ quality: 85 })
      .toBuffer();
    const thumbnail = await sharp(poster)
      .resize({ width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE, fit: "inside", withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
    return {
      width: probe.width,
      height: probe.height,
      durationMs,
      bytes: size,
      sha256: await sha256OfFile(filePath),
      codec: probe.codec,
      poster: { bytes: poster, mime: "image/jpeg" },
      thumbnail: { bytes: thumbnail, mime: "image/webp" },
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function sha256OfFile(filePath: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
