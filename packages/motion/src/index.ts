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
} from "./animate-params";
export { ease, easeWith, motionProgress, motionProgressWith } from "./easing";
export {
  cameraAtFrame,
  cameraAtFrameWith,
  cameraForMove,
  frameFractionWith,
  maxZoom,
  type CameraState,
} from "./camera-path";
export { ffmpegExpressionAlgebra, numberAlgebra, type MotionAlgebra } from "./motion-algebra";
export {
  cropForAspect,
  fadeLevelAtFrame,
  fadeSecondsFor,
  photoRectAtFrame,
  viewFraction,
  type PhotoSource,
  type PixelRect,
} from "./frame-geometry";
export { drawPreviewFrame, frameAtTime, type PreviewSurface } from "./preview-frame";
