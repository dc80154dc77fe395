import type { z } from "zod";
import { animateParams } from "@animateimg/catalog";
import type { AnimateParams } from "@animateimg/motion";

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
 * Animate's parameters are validated by the catalog's schema, the one the API, the UI form and
 * pricing use: the engine re-checks what it is given with the same rules, so the two cannot drift.
 */
export const animateParamsSchema = animateParams;

export type AnimateParamsInput = z.input<typeof animateParamsSchema>;

// Fails to compile if the schema and the hand-written type drift apart.
const _schemaMatchesType: AnimateParams = {} as z.output<typeof animateParamsSchema>;
const _typeMatchesSchema: z.output<typeof animateParamsSchema> = {} as AnimateParams;
