import { z } from "zod";
import { aspectRatios, cameraMoves, easings, resolutions, type AnimateParams } from "@animateimg/motion";

export {
  aspectRatios,
  cameraMoves,
  easings,
  frameCount,
  outputSize,
  resolutions,
  type AnimateParams,
  type AspectRatio,
  type CameraMove,
  type Easing,
  type Resolution,
} from "@animateimg/motion";

/**
 * The one schema for Animate's parameters: the API validates with it, the UI builds its
 * form from it, pricing reads duration and resolution from it. Defaults make a short,
 * pleasant clip from nothing but a photo.
 */
export const animateParamsSchema = z.object({
  cameraMove: z.enum(cameraMoves).default("zoom_in"),
  durationSeconds: z.number().min(2).max(10).default(5),
  aspectRatio: z.enum(aspectRatios).default("16:9"),
  resolution: z.enum(resolutions).default("720p"),
  fps: z.union([z.literal(24), z.literal(30)]).default(24),
  easing: z.enum(easings).default("ease_in_out"),
  loop: z.boolean().default(false),
  fade: z.boolean().default(false),
  intensity: z.number().min(0.1).max(1).default(0.5),
});

export type AnimateParamsInput = z.input<typeof animateParamsSchema>;

// Fails to compile if the schema and the hand-written type drift apart.
const _schemaMatchesType: AnimateParams = {} as z.output<typeof animateParamsSchema>;
const _typeMatchesSchema: z.output<typeof animateParamsSchema> = {} as AnimateParams;
