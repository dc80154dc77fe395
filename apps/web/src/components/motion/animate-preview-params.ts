import { aspectRatios, cameraMoves, easings, resolutions, type AnimateParams } from "@animateimg/motion";

const fallback: AnimateParams = {
  cameraMove: "zoom_in",
  durationSeconds: 5,
  aspectRatio: "16:9",
  resolution: "720p",
  fps: 24,
  easing: "ease_in_out",
  loop: false,
  fade: false,
  intensity: 0.5,
};

const oneOf = <T extends string>(list: readonly T[], value: unknown, otherwise: T): T =>
  list.includes(value as T) ? (value as T) : otherwise;
const within = (value: unknown, min: number, max: number, otherwise: number) =>
  typeof value === "number" && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : otherwise;

/**
 * The form's values as the engine will read them. The form holds whatever the person typed,
 * so anything out of range shows as the nearest valid motion (the server's check, not this,
 * decides what may be generated).
 */
export function toAnimateParams(values: Record<string, unknown>): AnimateParams {
  return {
    cameraMove: oneOf(cameraMoves, values.cameraMove, fallback.cameraMove),
    durationSeconds: within(values.durationSeconds, 2, 10, fallback.durationSeconds),
    aspectRatio: oneOf(aspectRatios, values.aspectRatio, fallback.aspectRatio),
    resolution: oneOf(resolutions, values.resolution, fallback.resolution),
    fps: values.fps === 30 ? 30 : 24,
    easing: oneOf(easings, values.easing, fallback.easing),
    loop: values.loop === true,
    fade: values.fade === true,
    intensity: within(values.intensity, 0.1, 1, fallback.intensity),
  };
}
