import type { AnimateParams, AspectRatio } from "./animate-params";
import { frameCount } from "./animate-params";
import { cameraAtFrame, type CameraState } from "./camera-path";

/** Pixel size of the photo being animated (after EXIF orientation, which uploads bake in). */
export interface PhotoSource {
  width: number;
  height: number;
}

/** A rectangle in pixels of some image. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The largest centred crop of the photo with the frame's aspect, in whole source pixels.
 * The nominal ratio, not the frame's width/height: 854×480 is 16:9 only after rounding.
 */
export function cropForAspect(aspectRatio: AspectRatio, source: PhotoSource): PixelRect {
  const [aspectW = 1, aspectH = 1] = aspectRatio.split(":").map(Number);
  const aspect = aspectW / aspectH;
  const width = Math.min(source.width, Math.round(source.height * aspect));
  const height = Math.min(source.height, Math.round(source.width / aspect));
  return { x: (source.width - width) / 2, y: (source.height - height) / 2, width, height };
}

/** The part of the (cropped) picture the camera sees, as fractions of its width and height. */
export function viewFraction(camera: CameraState<number>): {
  left: number;
  top: number;
  width: number;
  height: number;
} {
  const size = 1 / camera.zoom;
  return { left: camera.centerX - size / 2, top: camera.centerY - size / 2, width: size, height: size };
}

/**
 * The rectangle of the photo, in its own pixels, that frame `frame` shows. The engine maps
 * the same fractions onto its canvas (the crop scaled up); the preview draws this rectangle
 * of the photo straight into its canvas. Same numbers, different resampling.
 */
export function photoRectAtFrame(
  params: Pick<
    AnimateParams,
    "cameraMove" | "easing" | "loop" | "intensity" | "durationSeconds" | "fps" | "aspectRatio"
  >,
  source: PhotoSource,
  frame: number,
): PixelRect {
  const crop = cropForAspect(params.aspectRatio, source);
  const view = viewFraction(cameraAtFrame(params, frame));
  return {
    x: crop.x + view.left * crop.width,
    y: crop.y + view.top * crop.height,
    width: view.width * crop.width,
    height: view.height * crop.height,
  };
}

/** Length of each fade, in seconds, never more than a quarter of the clip. */
export function fadeSecondsFor(params: Pick<AnimateParams, "durationSeconds" | "fps">): number {
  return Math.min(0.4, frameCount(params) / params.fps / 4);
}

/**
 * Brightness of a frame under the fade (1 = untouched, 0 = black), as ffmpeg's `fade` filter
 * computes it: linear in the frame's timestamp, in from 0 at t = 0, out to 0 at the last frame.
 */
export function fadeLevelAtFrame(
  params: Pick<AnimateParams, "durationSeconds" | "fps" | "fade">,
  frame: number,
): number {
  if (!params.fade) return 1;
  const fade = fadeSecondsFor(params);
  const t = frame / params.fps;
  const lastFrameAt = (frameCount(params) - 1) / params.fps;
  const fadeIn = Math.min(1, t / fade);
  const fadeOut = Math.min(1, (lastFrameAt - t) / fade);
  return Math.max(0, Math.min(fadeIn, fadeOut));
}
