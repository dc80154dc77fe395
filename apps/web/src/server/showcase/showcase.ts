import "server-only";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { renderAnimation, type AnimateParamsInput } from "@animateimg/animate-engine";

/**
 * The landing page's before → after: the repository's own CC0 photo (apps/web/showcase) and
 * the Animate video our engine makes from it. The video is rendered once per server process,
 * at start (instrumentation.ts) or on the first request, never committed or fetched from
 * elsewhere; it lives in a private temporary folder that goes away with the process.
 */
export const showcaseParams = {
  cameraMove: "dolly",
  durationSeconds: 5,
  aspectRatio: "16:9",
  resolution: "720p",
  fps: 24,
  easing: "ease_in_out",
  loop: true,
  fade: false,
  intensity: 0.7,
} as const satisfies AnimateParamsInput;

export interface ShowcaseFiles {
  photo: string;
  video: string;
  poster: string;
}

/** The committed photo; the web app runs from apps/web (dev, start) or, in a few tools, the repo root. */
export function showcasePhotoPath(cwd = process.cwd()): string {
  const inApp = path.join(cwd, "showcase", "harbour-at-dusk.jpg");
  return path.basename(cwd) === "web" ? inApp : path.join(cwd, "apps", "web", "showcase", "harbour-at-dusk.jpg");
}

let rendering: Promise<ShowcaseFiles> | undefined;

/** Starts the render if it has not started; every caller shares the one result. */
export function showcaseFiles(): Promise<ShowcaseFiles> {
  rendering ??= render().catch((error: unknown) => {
    // Let a later request try again (ffmpeg briefly missing, a full disk) rather than failing forever.
    rendering = undefined;
    throw error;
  });
  return rendering;
}

async function render(): Promise<ShowcaseFiles> {
  const dir = mkdtempSync(path.join(tmpdir(), "animateimg-showcase-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const files = {
    photo: showcasePhotoPath(),
    video: path.join(dir, "animate.mp4"),
    poster: path.join(dir, "poster.jpg"),
  };
  await renderAnimation({
    inputPath: files.photo,
    outputPath: files.video,
    posterPath: files.poster,
    params: showcaseParams,
  });
  return files;
}
