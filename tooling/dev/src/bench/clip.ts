import { animateParamsSchema, type AnimateParamsInput } from "@animateimg/animate-engine";

/** The clip the end-to-end figures are about: 5 s 720p, as the issue asks; `--tiny` makes it 2 s 480p. */
export function benchClip(tiny: boolean): AnimateParamsInput {
  return animateParamsSchema.parse({
    durationSeconds: tiny ? 2 : 5,
    resolution: tiny ? "480p" : "720p",
    fps: 24,
    cameraMove: "zoom_in",
  });
}
