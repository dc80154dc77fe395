import { execFile } from "node:child_process";

/** Test support: synthetic photos drawn by ffmpeg and raw gray frames read back from a clip. */

function run(binary: string, args: string[], maxBuffer = 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { encoding: "buffer", maxBuffer }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${binary} failed: ${stderr.toString().trim()}`, { cause: error }));
      else resolve(stdout);
    });
  });
}

/**
 * A dark photo with one soft white dot (a Gaussian, sigma in pixels): the feature whose
 * centroid the smoothness test tracks. Soft so that the centroid is well defined at
 * subpixel precision after resampling and H.264.
 */
export async function drawDotPhoto(
  ffmpegPath: string,
  outPath: string,
  options: { width: number; height: number; dotX: number; dotY: number; sigma: number },
): Promise<void> {
  const { width, height, dotX, dotY, sigma } = options;
  const lum = `30+200*exp(-((X-${dotX})*(X-${dotX})+(Y-${dotY})*(Y-${dotY}))/${2 * sigma * sigma})`;
  await run(ffmpegPath, [
    "-v", "error", "-y",
    "-f", "lavfi", "-i", `color=c=black:s=${width}x${height}:d=1,format=gray`,
    "-vf", `geq=lum='${lum}'`,
    "-frames:v", "1", "-update", "1", outPath,
  ]); // prettier-ignore
}

/** A busy photo of any size (ffmpeg's testsrc2 pattern), for renders that only check the container. */
export async function drawPatternPhoto(ffmpegPath: string, outPath: string, width: number, height: number) {
  await run(ffmpegPath, [
    "-v", "error", "-y",
    "-f", "lavfi", "-i", `testsrc2=size=${width}x${height}`,
    "-frames:v", "1", "-update", "1", outPath,
  ]); // prettier-ignore
}

export interface GrayFrames {
  width: number;
  height: number;
  frames: Uint8Array[];
}

/** Every frame of a clip as 8-bit luma. */
export async function readGrayFrames(ffmpegPath: string, videoPath: string, width: number, height: number) {
  const raw = await run(
    ffmpegPath,
    ["-v", "error", "-i", videoPath, "-f", "rawvideo", "-pix_fmt", "gray", "-"],
    256 * 1024 * 1024,
  );
  const size = width * height;
  const frames: Uint8Array[] = [];
  for (let offset = 0; offset + size <= raw.length; offset += size) {
    frames.push(new Uint8Array(raw.buffer, raw.byteOffset + offset, size));
  }
  return { width, height, frames } satisfies GrayFrames;
}

/**
 * Subpixel position of the one bright feature: the intensity-weighted centroid of a window
 * around the brightest pixel, with the background level subtracted so flat areas weigh 0.
 */
export function brightCentroid(
  frame: Uint8Array,
  width: number,
  height: number,
  radius = 12,
): { x: number; y: number } {
  let peak = 0;
  let peakAt = 0;
  let background = 255;
  for (let i = 0; i < frame.length; i++) {
    const v = frame[i] ?? 0;
    if (v > peak) {
      peak = v;
      peakAt = i;
    }
    if (v < background) background = v;
  }
  const px = peakAt % width;
  const py = Math.floor(peakAt / width);
  const floor = background + 0.1 * (peak - background);
  let sum = 0;
  let sx = 0;
  let sy = 0;
  for (let y = Math.max(0, py - radius); y <= Math.min(height - 1, py + radius); y++) {
    for (let x = Math.max(0, px - radius); x <= Math.min(width - 1, px + radius); x++) {
      const w = Math.max(0, (frame[y * width + x] ?? 0) - floor);
      sum += w;
      sx += w * x;
      sy += w * y;
    }
  }
  return { x: sx / sum, y: sy / sum };
}

export function meanLuma(frame: Uint8Array): number {
  let sum = 0;
  for (const v of frame) sum += v;
  return sum / frame.length;
}

export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
}

/**
 * How unevenly a feature moves. For a move whose image-space speed is constant the step
 * between frames should not change, so the second difference of the positions is pure
 * error. Reported relative to the mean step: RMS (typical wobble) and max (worst frame).
 * Whole-pixel rounding gives steps like 2, 3, 2, 3 (second differences of ±1 px).
 */
export function stepIrregularity(positions: number[]): {
  steps: number[];
  monotonic: boolean;
  rms: number;
  max: number;
} {
  const steps = positions.slice(1).map((p, i) => p - (positions[i] ?? p));
  const meanStep = steps.reduce((a, b) => a + b, 0) / steps.length;
  const monotonic = steps.every((s) => Math.sign(s) === Math.sign(meanStep) && s !== 0);
  const second = steps.slice(1).map((s, i) => s - (steps[i] ?? s));
  const rms = Math.sqrt(second.reduce((a, d) => a + d * d, 0) / second.length) / Math.abs(meanStep);
  const max = Math.max(...second.map(Math.abs)) / Math.abs(meanStep);
  return { steps, monotonic, rms, max };
}
