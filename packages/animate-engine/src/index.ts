export {
  animateParamsSchema,
  aspectRatios,
  cameraMoves,
  easings,
  frameCount,
  outputSize,
  resolutions,
  type AnimateParams,
  type AnimateParamsInput,
  type AspectRatio,
  type CameraMove,
  type Easing,
  type Resolution,
} from "./animate-params";
export { ease, motionProgress, cameraAtFrame, maxZoom, type CameraState } from "@animateimg/motion";
export {
  buildFfmpegArgs,
  buildFilterGraph,
  posterFormatFor,
  type AnimationPlan,
  type PhotoSource,
  type PosterFormat,
} from "./build-filter-graph";
export { renderAnimation, type RenderAnimationOptions, type RenderAnimationResult } from "./render-animation";
