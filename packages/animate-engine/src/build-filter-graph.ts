import {
  cameraAtFrame,
  cameraAtFrameWith,
  cropForAspect,
  fadeSecondsFor,
  ffmpegExpressionAlgebra,
  frameCount,
  maxZoom,
  numberAlgebra,
  outputSize,
  type AnimateParams,
  type CameraState,
  type MotionAlgebra,
  type PhotoSource,
} from "@animateimg/motion";

export type { PhotoSource };

export interface AnimationPlan {
  /** For `-filter_complex`: reads `[0:v]` (the photo), writes `[out]` (the clip) and `[poster]`. */
  filterGraph: string;
  outputLabel: "out";
  posterLabel: "poster";
  /** The frame the poster shows: mid-clip, past a fade-in, and a loop's far end. */
  posterFrame: number;
  width: number;
  height: number;
  /** The canvas the camera moves over, larger than the frame when the photo has the detail. */
  canvasWidth: number;
  canvasHeight: number;
  fps: number;
  frames: number;
  durationSeconds: number;
}

const maxCanvasScale = 1.5;

/**
 * Why `perspective` and not `zoompan`: zoompan rounds the crop window to whole input pixels
 * every frame, so a slow move advances 1, 1, 2, 1, 1, 2… pixels — visible as jitter.
 * Working around it with zoompan means upscaling the photo 4–8× and rescaling a huge crop
 * every frame, which on two cores renders at a few fps. `perspective` with `eval=frame`
 * instead resamples the photo through a per-frame mapping with 1/256-pixel precision: the
 * view's corners come straight from the camera path as float expressions, so motion is
 * continuous, and the cost is one bilinear pass per frame (~4 ms at 720p), small next to
 * x264. The photo is decoded, cropped to the aspect and scaled once (the `loop` filter then
 * repeats that one frame), onto a canvas up to the move's largest zoom times the output
 * size, so a zoom-in reveals the photo's own detail instead of magnified output pixels;
 * the final downscale to the frame size also hides the slight softness bilinear sampling
 * gives at fractional offsets.
 */
export function buildFilterGraph(params: AnimateParams, source: PhotoSource): AnimationPlan {
  if (!(source.width > 0 && source.height > 0)) {
    throw new RangeError(`A photo needs a positive size, got ${source.width}×${source.height}.`);
  }
  const { width, height } = outputSize(params.aspectRatio, params.resolution);
  const frames = frameCount(params);
  const fps = params.fps;
  const durationSeconds = frames / fps;

  // The same crop the browser preview draws from (@animateimg/motion).
  const { width: cropWidth, height: cropHeight } = cropForAspect(params.aspectRatio, source);

  // No bigger than the photo's own detail (upscaling adds cost, not sharpness), no bigger
  // than the deepest zoom needs, never smaller than the frame; capped because perspective's
  // cost grows with the canvas area (1.5² ≈ 2.3× the frame's).
  const detail = Math.min(cropWidth / width, cropHeight / height);
  const canvasScale = Math.max(1, Math.min(maxZoom(params), detail, maxCanvasScale));
  const canvasWidth = even(width * canvasScale);
  const canvasHeight = even(height * canvasScale);

  // perspective's `in` is 1-based (frame_count_out + 1, evaluated before the count moves):
  // taken as 0-based it would start one frame into the move and repeat the last frame.
  const moving = viewCorners(
    ffmpegExpressionAlgebra,
    cameraAtFrameWith(ffmpegExpressionAlgebra, params, "(in-1)"),
    canvasWidth,
    canvasHeight,
  );
  const posterFrame = Math.floor(frames / 2);
  const still = viewCorners(numberAlgebra, cameraAtFrame(params, posterFrame), canvasWidth, canvasHeight);

  const fade = fadeSecondsFor(params);
  // The fade-out ends on the last frame's timestamp, so the clip really ends in black (and a
  // faded loop meets black with black).
  const lastFrameAt = (frames - 1) / fps;
  const canvas = [
    `crop=${cropWidth}:${cropHeight}`,
    // bt709 in TV range is what browsers assume for HD H.264; the tags are set on output.
    `scale=${canvasWidth}:${canvasHeight}:flags=lanczos:out_color_matrix=bt709:out_range=tv`,
    "setsar=1",
    "format=yuv420p",
  ];
  const clip = [
    `loop=loop=${frames - 1}:size=1:start=0`,
    // Exact frame times: in the photo's own time base (1/25) N/24 s would round, and the
    // fades and the output's constant frame rate would then see frames up to 1/25 s off.
    `settb=1/${fps}`,
    "setpts=N",
    `perspective=${perspectiveOptions(moving)}:interpolation=linear:sense=source:eval=frame`,
    `scale=${width}:${height}:flags=bicubic`,
    ...(params.fade
      ? [`fade=t=in:st=0:d=${fade.toFixed(3)}`, `fade=t=out:st=${(lastFrameAt - fade).toFixed(3)}:d=${fade.toFixed(3)}`]
      : []),
    "format=yuv420p",
  ];
  // The poster is rendered from the canvas with the camera frozen at posterFrame (mid-clip:
  // past a fade-in, a loop's far end): one extra resample and one JPEG instead of decoding
  // the clip again, free of H.264 artefacts. Taking it from the clip with select= instead
  // would make ffmpeg buffer every frame before it (~80 MB at 720p 5 s) while it waits.
  const poster = [
    `perspective=${perspectiveOptions(still)}:interpolation=linear:sense=source:eval=init`,
    `scale=${width}:${height}:flags=bicubic`,
  ];

  return {
    filterGraph:
      `[0:v]${canvas.join(",")},split=2[canvas][still];` +
      `[canvas]${clip.join(",")}[out];[still]${poster.join(",")}[poster]`,
    outputLabel: "out",
    posterLabel: "poster",
    posterFrame,
    width,
    height,
    canvasWidth,
    canvasHeight,
    fps,
    frames,
    durationSeconds,
  };
}

type Corners<T> = Record<"x0" | "y0" | "x1" | "y1" | "x2" | "y2" | "x3" | "y3", T>;

/** The view's corners on the canvas, in perspective's order: top-left, top-right, bottom-left, bottom-right. */
function viewCorners<T>(alg: MotionAlgebra<T>, camera: CameraState<T>, canvasWidth: number, canvasHeight: number) {
  const halfWidth = alg.div(alg.constant(canvasWidth / 2), camera.zoom);
  const halfHeight = alg.div(alg.constant(canvasHeight / 2), camera.zoom);
  const cx = alg.mul(camera.centerX, alg.constant(canvasWidth));
  const cy = alg.mul(camera.centerY, alg.constant(canvasHeight));
  const left = alg.sub(cx, halfWidth);
  const right = alg.add(cx, halfWidth);
  const top = alg.sub(cy, halfHeight);
  const bottom = alg.add(cy, halfHeight);
  return { x0: left, y0: top, x1: right, y1: top, x2: left, y2: bottom, x3: right, y3: bottom } satisfies Corners<T>;
}

function perspectiveOptions(corners: Corners<string> | Corners<number>): string {
  return Object.entries(corners)
    .map(([key, value]) => `${key}='${typeof value === "number" ? value.toFixed(6) : value}'`)
    .join(":");
}

/**
 * The whole ffmpeg command line after the binary, for the engine and for anyone (the bench)
 * who wants to run the identical render by hand.
 */
export function buildFfmpegArgs(
  plan: AnimationPlan,
  inputPath: string,
  outputPath: string,
  poster: { path: string; format: PosterFormat },
): string[] {
  return [
    "-y",
    "-i",
    inputPath,
    "-filter_complex",
    plan.filterGraph,
    "-map",
    `[${plan.outputLabel}]`,
    "-frames:v",
    String(plan.frames),
    "-r",
    String(plan.fps),
    "-c:v",
    "libx264",
    // veryfast: on two cores the encoder is most of the render time; at crf 20 the slower
    // presets buy a few percent of size, not visible quality, for a smooth camera move.
    "-preset",
    "veryfast",
    "-crf",
    "20",
    "-profile:v",
    "high",
    "-pix_fmt",
    "yuv420p",
    "-colorspace",
    "bt709",
    "-color_primaries",
    "bt709",
    "-color_trc",
    "bt709",
    "-color_range",
    "tv",
    "-an",
    // moov before mdat: a browser starts playing before the download finishes.
    "-movflags",
    "+faststart",
    "-f",
    "mp4",
    outputPath,
    "-map",
    `[${plan.posterLabel}]`,
    "-frames:v",
    "1",
    ...posterCodecArgs[poster.format],
    poster.path,
  ];
}

export type PosterFormat = "jpeg" | "png" | "webp";

const posterCodecArgs: Record<PosterFormat, string[]> = {
  jpeg: ["-c:v", "mjpeg", "-q:v", "3", "-f", "image2", "-update", "1"],
  png: ["-c:v", "png", "-f", "image2", "-update", "1"],
  webp: ["-c:v", "libwebp", "-quality", "85", "-f", "webp"],
};

/** The poster's format from its file name, or undefined when we cannot write that kind. */
export function posterFormatFor(path: string): PosterFormat | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (extension === "jpg" || extension === "jpeg") return "jpeg";
  if (extension === "png" || extension === "webp") return extension;
  return undefined;
}

function even(value: number): number {
  return 2 * Math.round(value / 2);
}
