export {
  resolveFfmpeg,
  clearResolvedFfmpeg,
  type FfmpegBinaries,
  type FfmpegSource,
  type ResolveFfmpegOptions,
} from "./resolve-ffmpeg";
export { runFfmpeg, type RunFfmpegOptions, type RunFfmpegResult } from "./run-ffmpeg";
export { FfmpegError } from "./ffmpeg-error";
export { probeVideo, probeImageSize, moovBeforeMdat, type VideoProbe, type ProbeVideoOptions } from "./probe-video";
export { extractPoster, type ExtractPosterOptions, type Poster } from "./extract-poster";
