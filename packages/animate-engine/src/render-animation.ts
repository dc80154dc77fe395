import { rename, rm } from "node:fs/promises";
import { AppError } from "@animateimg/core";
import {
  FfmpegError,
  probeImageSize,
  probeVideo,
  resolveFfmpeg,
  runFfmpeg,
  type FfmpegBinaries,
} from "@animateimg/media";
import { animateParamsSchema, type AnimateParamsInput } from "./animate-params";
import { buildFfmpegArgs, buildFilterGraph, posterFormatFor } from "./build-filter-graph";

export interface RenderAnimationOptions {
  /** The photo: anything ffmpeg decodes (JPEG, PNG, WebP…), any aspect; it is fill-cropped. */
  inputPath: string;
  /** Where the MP4 goes; written under a temporary name and renamed, so it is whole or absent. */
  outputPath: string;
  /** Poster frame; its extension picks the format (.jpg, .png, .webp). */
  posterPath: string;
  /** Validated with `animateParamsSchema`; omitted fields take its defaults. */
  params: AnimateParamsInput;
  /** 0..1, never decreasing, 1 only once the video and the poster are written. */
  onProgress?: ((fraction: number) => void) | undefined;
  /** Kills ffmpeg and removes everything this render wrote. */
  signal?: AbortSignal | undefined;
  binaries?: FfmpegBinaries | undefined;
}

export interface RenderAnimationResult {
  durationSeconds: number;
  width: number;
  height: number;
  fps: number;
  bytes: number;
  renderMs: number;
  frames: number;
}

/** Share of the progress bar the encode takes; probing and the poster take the rest. */
const encodeShare = 0.95;

export async function renderAnimation(options: RenderAnimationOptions): Promise<RenderAnimationResult> {
  const started = performance.now();
  const { inputPath, outputPath, posterPath, signal } = options;

  const parsed = animateParamsSchema.safeParse(options.params);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path.join(".") || "params";
      (fieldErrors[field] ??= []).push(issue.message);
    }
    throw new AppError("BAD_REQUEST", "These animation settings are not valid.", {
      reason: "invalid_animate_params",
      fieldErrors,
    });
  }
  const params = parsed.data;

  let reported = -1;
  const report = (fraction: number) => {
    if (fraction > reported) {
      reported = fraction;
      options.onProgress?.(fraction);
    }
  };
  report(0);

  const posterFormat = posterFormatFor(posterPath);
  if (!posterFormat) {
    throw new AppError("BAD_REQUEST", "A poster must be a .jpg, .png or .webp file.", {
      reason: "unsupported_poster_format",
    });
  }

  signal?.throwIfAborted();
  const binaries = options.binaries ?? (await resolveFfmpeg());
  const source = await probeImageSize(inputPath, binaries).catch((cause: unknown) => {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "The photo could not be read as an image.", {
      reason: "unreadable_photo",
      cause,
    });
  });
  const plan = buildFilterGraph(params, source);

  // A unique sibling name: same filesystem (rename is atomic), never a half file at outputPath.
  const suffix = `.${process.pid}.${Date.now().toString(36)}.partial`;
  const partialPath = outputPath + suffix;
  const partialPosterPath = posterPath + suffix;
  // Only what this render wrote is removed on failure; files that were at outputPath or
  // posterPath before a render that failed stay.
  const written = [partialPath, partialPosterPath];
  try {
    await runFfmpeg(buildFfmpegArgs(plan, inputPath, partialPath, { path: partialPosterPath, format: posterFormat }), {
      binaries,
      signal,
      totalDurationSeconds: plan.durationSeconds,
      onProgress: (fraction) => report(fraction * encodeShare),
    });
    signal?.throwIfAborted();
    // Checked before the rename: a clip that is not what we promise never reaches outputPath.
    const probe = await probeVideo(partialPath, { binaries });
    if (probe.codec !== "h264" || probe.pixelFormat !== "yuv420p" || !probe.faststart) {
      throw new AppError("INTERNAL_SERVER_ERROR", "The rendered clip is not a streamable H.264 MP4.", {
        reason: "render_not_streamable",
      });
    }
    written.push(outputPath, posterPath);
    await Promise.all([rename(partialPath, outputPath), rename(partialPosterPath, posterPath)]);
    signal?.throwIfAborted();
    report(1);
    return {
      durationSeconds: probe.durationSeconds,
      width: probe.width,
      height: probe.height,
      fps: plan.fps,
      bytes: probe.bytes,
      renderMs: Math.round(performance.now() - started),
      frames: plan.frames,
    };
  } catch (error) {
    await Promise.all(written.map((path) => rm(path, { force: true })));
    if (error instanceof FfmpegError) {
      throw new AppError("INTERNAL_SERVER_ERROR", "The animation could not be rendered.", {
        reason: "render_failed",
        cause: error,
      });
    }
    throw error;
  }
}
