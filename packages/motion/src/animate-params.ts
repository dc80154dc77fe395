// Animate's parameters as plain data. The zod schema that validates them lives with the
// catalog (@animateimg/catalog, which the engine re-checks with); this file is what the camera path and the browser preview need,
// without any dependency.
export const cameraMoves = [
  "zoom_in",
  "zoom_out",
  "pan_left",
  "pan_right",
  "pan_up",
  "pan_down",
  "dolly",
  "drift",
] as const;
export const easings = ["linear", "ease_in", "ease_out", "ease_in_out"] as const;
export const aspectRatios = ["16:9", "9:16", "1:1"] as const;
export const resolutions = ["480p", "720p", "1080p"] as const;

export type CameraMove = (typeof cameraMoves)[number];
export type Easing = (typeof easings)[number];
export type AspectRatio = (typeof aspectRatios)[number];
export type Resolution = (typeof resolutions)[number];

export interface AnimateParams {
  cameraMove: CameraMove;
  /** 2–10 s. */
  durationSeconds: number;
  aspectRatio: AspectRatio;
  /** The short side of the frame: 480, 720 or 1080 pixels. */
  resolution: Resolution;
  fps: 24 | 30;
  easing: Easing;
  /** Motion returns to where it started, so the clip repeats without a seam. */
  loop: boolean;
  /** Fade in from black and out to black (~0.4 s each). */
  fade: boolean;
  /** How far the camera travels, 0.1–1. */
  intensity: number;
}

const shortSides: Record<Resolution, number> = { "480p": 480, "720p": 720, "1080p": 1080 };

/** Frame size for an aspect and resolution; both sides even, as yuv420p requires. */
export function outputSize(aspectRatio: AspectRatio, resolution: Resolution): { width: number; height: number } {
  const short = shortSides[resolution];
  const [a = 1, b = 1] = aspectRatio.split(":").map(Number);
  const long = 2 * Math.round((short * Math.max(a, b)) / Math.min(a, b) / 2);
  return a >= b ? { width: long, height: short } : { width: short, height: long };
}

/** Frames in the clip: the requested duration rounded to whole frames. */
export function frameCount(params: Pick<AnimateParams, "durationSeconds" | "fps">): number {
  return Math.max(2, Math.round(params.durationSeconds * params.fps));
}
