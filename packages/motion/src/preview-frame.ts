import type { AnimateParams } from "./animate-params";
import { fadeLevelAtFrame, photoRectAtFrame, type PhotoSource } from "./frame-geometry";

/**
 * What the preview draws on: the subset of CanvasRenderingContext2D it uses, typed here so
 * this package needs no DOM types and stays importable from Node.
 */
export interface PreviewSurface<Image> {
  drawImage(
    image: Image,
    sx: number,
    sy: number,
    sw: number,
    sh: number,
    dx: number,
    dy: number,
    dw: number,
    dh: number,
  ): void;
  fillRect(x: number, y: number, width: number, height: number): void;
  fillStyle: unknown;
  globalAlpha: number;
  imageSmoothingEnabled: boolean;
  imageSmoothingQuality: "low" | "medium" | "high";
}

/**
 * Draws frame `frame` of an Animate clip of `photo` into a `width`×`height` surface: the
 * same crop, camera path and fade the engine renders, so the preview matches the video
 * frame for frame (tooling/e2e's preview test measures it against real engine output).
 */
export function drawPreviewFrame<Image>(
  surface: PreviewSurface<Image>,
  photo: Image,
  source: PhotoSource,
  params: AnimateParams,
  frame: number,
  size: { width: number; height: number },
): void {
  const rect = photoRectAtFrame(params, source, frame);
  surface.imageSmoothingEnabled = true;
  surface.imageSmoothingQuality = "high";
  surface.globalAlpha = 1;
  surface.drawImage(photo, rect.x, rect.y, rect.width, rect.height, 0, 0, size.width, size.height);
  const level = fadeLevelAtFrame(params, frame);
  if (level < 1) {
    surface.fillStyle = "#000";
    surface.globalAlpha = 1 - level;
    surface.fillRect(0, 0, size.width, size.height);
    surface.globalAlpha = 1;
  }
}

/** The frame to show `elapsedMs` into playback: a loop repeats, a one-shot holds its end then restarts. */
export function frameAtTime(
  params: Pick<AnimateParams, "durationSeconds" | "fps" | "loop">,
  frames: number,
  elapsedMs: number,
  holdMs = 700,
): number {
  const frameMs = 1000 / params.fps;
  const cycleMs = frames * frameMs + (params.loop ? 0 : holdMs);
  const within = ((elapsedMs % cycleMs) + cycleMs) % cycleMs;
  return Math.min(frames - 1, Math.floor(within / frameMs));
}
