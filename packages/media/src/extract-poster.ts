import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { AppError } from "@animateimg/core";
import { probeImageSize, probeVideo } from "./probe-video";
import { resolveFfmpeg, type FfmpegBinaries } from "./resolve-ffmpeg";
import { runFfmpeg } from "./run-ffmpeg";

export interface ExtractPosterOptions {
  /** Where to take the frame; default halfway, at most 3 s in (past fades and title cards). */
  atSeconds?: number | undefined;
  /** Output width in pixels (height keeps the aspect, rounded to even); default the video's. */
  width?: number | undefined;
  binaries?: FfmpegBinaries | undefined;
  signal?: AbortSignal | undefined;
}

export interface Poster {
  path: string;
  format: "jpeg" | "png" | "webp";
  width: number;
  height: number;
  bytes: number;
}

const formatsByExtension = {
  ".jpg": "jpeg",
  ".jpeg": "jpeg",
  ".png": "png",
  ".webp": "webp",
} as const;

/** Writes one frame of a video as an image; the format follows outPath's extension. */
export async function extractPoster(
  videoPath: string,
  outPath: string,
  options: ExtractPosterOptions = {},
): Promise<Poster> {
  const extension = extname(outPath).toLowerCase();
  const format = (formatsByExtension as Record<string, Poster["format"] | undefined>)[extension];
  if (!format) {
    throw new AppError("BAD_REQUEST", `A poster must be .jpg, .png or .webp, not "${extension || outPath}".`, {
      reason: "poster_extension_refused",
      params: { extension: extension || outPath },
    });
  }
  const binaries = options.binaries ?? (await resolveFfmpeg());
  const video = await probeVideo(videoPath, { binaries });

  // Seeking at or past the last frame yields no frame at all, so stay one frame inside.
  const lastFrameAt = Math.max(0, video.durationSeconds - 1 / (video.fps || 25));
  const wanted = options.atSeconds ?? Math.min(video.durationSeconds / 2, 3);
  const at = Math.min(Math.max(0, wanted), lastFrameAt);

  const width = options.width ?? video.width;
  const codecArgs =
    format === "jpeg"
      ? ["-c:v", "mjpeg", "-q:v", "3", "-f", "image2", "-update", "1"]
      : format === "png"
        ? ["-c:v", "png", "-f", "image2", "-update", "1"]
        : ["-c:v", "libwebp", "-quality", "85", "-f", "webp"];

  await runFfmpeg(
    [
      "-y",
      // Input seeking (before -i) decodes from the previous keyframe: fast and frame-accurate.
      "-ss",
      at.toFixed(3),
      "-i",
      videoPath,
      "-frames:v",
      "1",
      "-an",
      "-vf",
      `scale=${Math.round(width)}:-2:flags=lanczos`,
      ...codecArgs,
      outPath,
    ],
    { binaries, signal: options.signal },
  );

  const [written, size] = await Promise.all([stat(outPath), probeImageSize(outPath, binaries)]);
  return { path: outPath, format, ...size, bytes: written.size };
}
