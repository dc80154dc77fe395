// The workspace's live preview against the real engine. The preview draws frames in the
// browser with @animateimg/motion's drawPreviewFrame (the code the workspace runs, bundled
// here with vite); the engine renders the same parameters to an MP4 with ffmpeg. Frames are
// compared at preview size: two soft dots tracked to subpixel precision must sit within one
// preview pixel of each other in both, and the pictures must agree pixel by pixel on average.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { build } from "vite";
import { animateParamsSchema, renderAnimation } from "@animateimg/animate-engine";
import { resolveFfmpeg, type FfmpegBinaries } from "@animateimg/media";
import { frameCount, type AnimateParams } from "@animateimg/motion";
import { repoRoot } from "./app-under-test";
import { launchChromium } from "./browser";

const run = promisify(execFile);
const photoSize = { width: 1600, height: 1000 };
const dots = [
  { x: 720, y: 420 },
  { x: 960, y: 560 },
];
const sigma = 10;

let dir: string;
let binaries: FfmpegBinaries;
let photoPath: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "animateimg-preview-"));
  binaries = await resolveFfmpeg();
  photoPath = path.join(dir, "dots.png");
  // A soft gradient (so a wrong crop or scale changes every pixel) with two Gaussian dots.
  const dotTerms = dots
    .map(({ x, y }) => `150*exp(-((X-${x})*(X-${x})+(Y-${y})*(Y-${y}))/${2 * sigma * sigma})`)
    .join("+");
  await run(binaries.ffmpegPath, [
    "-v", "error", "-y",
    "-f", "lavfi", "-i", `color=c=black:s=${photoSize.width}x${photoSize.height}:d=1,format=gray`,
    "-vf", `geq=lum='min(255,30+50*X/W+40*Y/H+${dotTerms})'`,
    "-frames:v", "1", "-update", "1", photoPath,
  ]); // prettier-ignore

  const bundle = await build({
    configFile: false,
    logLevel: "silent",
    root: repoRoot,
    build: {
      write: false,
      minify: false,
      lib: { entry: path.join(repoRoot, "packages/motion/src/index.ts"), formats: ["iife"], name: "motion" },
    },
  });
  const outputs = Array.isArray(bundle) ? bundle : [bundle];
  const code = outputs
    .flatMap((output) => ("output" in output ? output.output : []))
    .map((chunk) => ("code" in chunk ? chunk.code : ""))
    .join("\n");
  expect(code).toContain("drawPreviewFrame");

  browser = await launchChromium();
  page = await browser.newPage();
  await page.setContent("<!doctype html><html><body></body></html>");
  await page.addScriptTag({ content: code });
  const dataUrl = `data:image/png;base64,${readFileSync(photoPath).toString("base64")}`;
  await page.evaluate(async (src) => {
    const image = new Image();
    image.src = src;
    await image.decode();
    (window as unknown as { photo: HTMLImageElement }).photo = image;
  }, dataUrl);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Frames drawn by the preview code in chromium, as luma (BT.709) at preview size. */
async function previewFrames(params: AnimateParams, frames: number[], size: { width: number; height: number }) {
  const raw = await page.evaluate(
    ({ params, frames, size, source }) => {
      type Motion = { drawPreviewFrame: (...args: unknown[]) => void };
      const { motion, photo } = window as unknown as { motion: Motion; photo: HTMLImageElement };
      const canvas = document.createElement("canvas");
      canvas.width = size.width;
      canvas.height = size.height;
      const context = canvas.getContext("2d")!;
      return frames.map((frame) => {
        motion.drawPreviewFrame(context, photo, source, params, frame, size);
        const { data } = context.getImageData(0, 0, size.width, size.height);
        const luma: number[] = [];
        for (let i = 0; i < data.length; i += 4)
          luma.push(0.2126 * data[i]! + 0.7152 * data[i + 1]! + 0.0722 * data[i + 2]!);
        return luma;
      });
    },
    { params, frames, size, source: photoSize },
  );
  return raw.map((values) => Float64Array.from(values));
}

/** The engine's frames, decoded by ffmpeg and scaled to preview size (area average), as full-range luma. */
async function engineFrames(videoPath: string, frames: number[], size: { width: number; height: number }) {
  const select = frames.map((n) => `eq(n\\,${n})`).join("+");
  const { stdout } = await run(
    binaries.ffmpegPath,
    [
      "-v", "error", "-i", videoPath,
      "-vf", `select='${select}',scale=${size.width}:${size.height}:flags=area:in_range=tv:out_range=pc,format=gray`,
      "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "gray", "-",
    ], // prettier-ignore
    { encoding: "buffer", maxBuffer: 64 * 1024 * 1024 },
  );
  const frameBytes = size.width * size.height;
  expect(stdout.length).toBe(frameBytes * frames.length);
  return frames.map((_, i) => Float64Array.from(stdout.subarray(i * frameBytes, (i + 1) * frameBytes)));
}

/** Subpixel centroids of the two brightest blobs, left to right (background subtracted). */
function blobCentroids(frame: Float64Array, width: number, height: number, radius = 7) {
  const work = Float64Array.from(frame);
  const found: { x: number; y: number; peak: number }[] = [];
  for (let blob = 0; blob < 2; blob++) {
    let peakAt = 0;
    for (let i = 1; i < work.length; i++) if (work[i]! > work[peakAt]!) peakAt = i;
    const px = peakAt % width;
    const py = Math.floor(peakAt / width);
    let background = 255;
    for (let y = Math.max(0, py - radius); y <= Math.min(height - 1, py + radius); y++)
      for (let x = Math.max(0, px - radius); x <= Math.min(width - 1, px + radius); x++)
        background = Math.min(background, work[y * width + x]!);
    let sum = 0;
    let sx = 0;
    let sy = 0;
    for (let y = Math.max(0, py - radius); y <= Math.min(height - 1, py + radius); y++)
      for (let x = Math.max(0, px - radius); x <= Math.min(width - 1, px + radius); x++) {
        const weight = work[y * width + x]! - background;
        sum += weight;
        sx += weight * x;
        sy += weight * y;
        work[y * width + x] = 0;
      }
    found.push({ x: sx / sum, y: sy / sum, peak: frame[peakAt]! - background });
  }
  return found.sort((a, b) => a.x - b.x);
}

const previewSizes = {
  "16:9": { width: 384, height: 216 },
  "9:16": { width: 216, height: 384 },
  "1:1": { width: 288, height: 288 },
} as const;

const cases: { name: string; params: Partial<AnimateParams> }[] = [
  {
    name: "drift, 16:9, ease in and out",
    params: { cameraMove: "drift", aspectRatio: "16:9", easing: "ease_in_out", intensity: 1 },
  },
  {
    name: "zoom in, 9:16, looped, faded, 30 fps",
    params: {
      cameraMove: "zoom_in",
      aspectRatio: "9:16",
      easing: "ease_in",
      intensity: 1,
      loop: true,
      fade: true,
      fps: 30,
    },
  },
  {
    name: "pan left, 1:1, linear",
    params: { cameraMove: "pan_left", aspectRatio: "1:1", easing: "linear", intensity: 0.6 },
  },
  {
    name: "dolly, 16:9, ease out",
    params: { cameraMove: "dolly", aspectRatio: "16:9", easing: "ease_out", intensity: 0.8 },
  },
];

describe("the live preview shows the engine's motion", () => {
  for (const { name, params: overrides } of cases) {
    it(`matches the rendered video frame for frame: ${name}`, { timeout: 120_000 }, async () => {
      const params = animateParamsSchema.parse({ durationSeconds: 2, resolution: "480p", fps: 24, ...overrides });
      const videoPath = path.join(dir, `${params.cameraMove}.mp4`);
      await renderAnimation({
        inputPath: photoPath,
        outputPath: videoPath,
        posterPath: path.join(dir, `${params.cameraMove}.jpg`),
        params,
        binaries,
      });
      const last = frameCount(params) - 1;
      const frames = [0, Math.round(last / 4), Math.round(last / 2), Math.round((3 * last) / 4), last];
      const size = previewSizes[params.aspectRatio];
      const [preview, engine] = await Promise.all([
        previewFrames(params, frames, size),
        engineFrames(videoPath, frames, size),
      ]);

      for (const [i, frame] of frames.entries()) {
        const a = preview[i]!;
        const b = engine[i]!;
        let absolute = 0;
        for (let p = 0; p < a.length; p++) absolute += Math.abs(a[p]! - b[p]!);
        const meanAbsolute = absolute / a.length;
        expect(meanAbsolute, `frame ${frame}: mean |preview − engine| in luma levels`).toBeLessThan(1.5);

        const ours = blobCentroids(a, size.width, size.height);
        const theirs = blobCentroids(b, size.width, size.height);
        for (const [d, dot] of ours.entries()) {
          const other = theirs[d]!;
          // A dot faded to (almost) black has no position to compare; the luma check covers it.
          if (dot.peak < 40 || other.peak < 40) continue;
          const offset = Math.hypot(dot.x - other.x, dot.y - other.y);
          expect(
            offset,
            `frame ${frame}, dot ${d}: preview at (${dot.x.toFixed(2)}, ${dot.y.toFixed(2)}), engine at (${other.x.toFixed(2)}, ${other.y.toFixed(2)})`,
          ).toBeLessThanOrEqual(1);
        }
      }
    });
  }
});
