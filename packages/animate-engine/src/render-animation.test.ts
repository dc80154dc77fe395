import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@animateimg/core";
import { probeImageSize, probeVideo, resolveFfmpeg, type FfmpegBinaries } from "@animateimg/media";
import type { AnimateParamsInput } from "./animate-params";
import { renderAnimation } from "./render-animation";
import { drawPatternPhoto, meanAbsDiff, meanLuma, readGrayFrames } from "./testing/synthetic-media";

// Every render here is 480p, 2 s, 24 fps: enough to check the container and the motion
// without loading the two cores other test files share.
const small = { durationSeconds: 2, resolution: "480p", fps: 24 } satisfies AnimateParamsInput;

let dir: string;
let binaries: FfmpegBinaries;
let photo: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "animate-render-"));
  binaries = await resolveFfmpeg();
  // 4:3 on purpose: every aspect has to be fill-cropped out of it.
  photo = path.join(dir, "photo.png");
  await drawPatternPhoto(binaries.ffmpegPath, photo, 1200, 900);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function render(name: string, params: AnimateParamsInput, extra: Partial<Parameters<typeof renderAnimation>[0]> = {}) {
  return renderAnimation({
    inputPath: photo,
    outputPath: path.join(dir, `${name}.mp4`),
    posterPath: path.join(dir, `${name}.jpg`),
    params,
    binaries,
    ...extra,
  });
}

describe("renderAnimation", () => {
  it("writes a faststart H.264/yuv420p MP4 of the asked length and size, a poster, and rising progress", async () => {
    const progress: number[] = [];
    const result = await render("zoom", { ...small, cameraMove: "zoom_in" }, { onProgress: (f) => progress.push(f) });

    const probe = await probeVideo(path.join(dir, "zoom.mp4"));
    expect(probe).toMatchObject({ codec: "h264", pixelFormat: "yuv420p", faststart: true, hasAudio: false });
    expect(probe).toMatchObject({ width: 854, height: 480 });
    expect(Math.abs(probe.durationSeconds - 2)).toBeLessThanOrEqual(1 / 24);
    expect(probe.fps).toBeCloseTo(24, 3);
    expect(result).toMatchObject({ width: 854, height: 480, fps: 24, frames: 48, bytes: probe.bytes });
    expect(result.renderMs).toBeGreaterThan(0);

    const poster = path.join(dir, "zoom.jpg");
    expect([...readFileSync(poster).subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(await probeImageSize(poster, binaries)).toEqual({ width: 854, height: 480 });

    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1);
    expect(progress.length).toBeGreaterThan(2);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1] ?? 1);
  });

  it("sizes portrait and square clips by their short side, at 24 or 30 fps", async () => {
    const portrait = await render("portrait", { ...small, cameraMove: "pan_up", aspectRatio: "9:16" });
    expect([portrait.width, portrait.height]).toEqual([480, 854]);
    const square = await render("square", { ...small, cameraMove: "dolly", aspectRatio: "1:1", fps: 30 });
    expect([square.width, square.height]).toEqual([480, 480]);
    const probe = await probeVideo(path.join(dir, "square.mp4"));
    expect(probe.fps).toBeCloseTo(30, 3);
    expect(square.frames).toBe(60);
    expect(Math.abs(probe.durationSeconds - 2)).toBeLessThanOrEqual(1 / 30);
  });

  it("loop: the last frame leads back into the first", async () => {
    const looped = await render("loop", { ...small, cameraMove: "pan_right", loop: true, intensity: 1 });
    const oneWay = await render("oneway", { ...small, cameraMove: "pan_right", loop: false, intensity: 1 });
    const ends = async (name: string, width: number, height: number) => {
      const { frames } = await readGrayFrames(binaries.ffmpegPath, path.join(dir, `${name}.mp4`), width, height);
      return meanAbsDiff(frames[0] ?? new Uint8Array(), frames.at(-1) ?? new Uint8Array());
    };
    const loopSeam = await ends("loop", looped.width, looped.height);
    const oneWayGap = await ends("oneway", oneWay.width, oneWay.height);
    // The seam is one frame of motion near the turning point's opposite end; a one-way pan
    // ends a whole pan away from where it started.
    expect(loopSeam).toBeLessThan(6);
    expect(oneWayGap).toBeGreaterThan(4 * loopSeam);
  });

  it("fade: starts and ends in black, and the poster is not black", async () => {
    const result = await render("fade", { ...small, cameraMove: "drift", fade: true });
    const { frames } = await readGrayFrames(
      binaries.ffmpegPath,
      path.join(dir, "fade.mp4"),
      result.width,
      result.height,
    );
    const first = meanLuma(frames[0] ?? new Uint8Array());
    const middle = meanLuma(frames[24] ?? new Uint8Array());
    expect(first).toBeLessThan(20);
    expect(middle).toBeGreaterThan(60);
    expect(meanLuma(frames.at(-1) ?? new Uint8Array())).toBeLessThan(20);
    const poster = await readGrayFrames(binaries.ffmpegPath, path.join(dir, "fade.jpg"), result.width, result.height);
    expect(meanLuma(poster.frames[0] ?? new Uint8Array())).toBeGreaterThan(60);
    // The poster is the clip's middle frame (rendered separately, so compared loosely).
    expect(meanAbsDiff(poster.frames[0] ?? new Uint8Array(), frames[24] ?? new Uint8Array())).toBeLessThan(4);
    expect(meanAbsDiff(poster.frames[0] ?? new Uint8Array(), frames[12] ?? new Uint8Array())).toBeGreaterThan(4);
  });

  it("cancels: the signal kills ffmpeg and leaves no file behind", async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    const outcome = render(
      "cancelled",
      // Long enough that the abort lands mid-encode.
      { ...small, durationSeconds: 10, cameraMove: "zoom_out" },
      {
        signal: controller.signal,
        onProgress: (fraction) => {
          progress.push(fraction);
          if (fraction > 0) controller.abort();
        },
      },
    );
    await expect(outcome).rejects.toMatchObject({ name: "AbortError" });
    expect(progress.at(-1)).toBeLessThan(0.95);
    expect(readdirSync(dir).filter((name) => name.startsWith("cancelled"))).toEqual([]);
  });

  it("refuses invalid settings with the fields named", async () => {
    const error: unknown = await render("invalid", { durationSeconds: 30, cameraMove: "spin" as never }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "BAD_REQUEST", reason: "invalid_animate_params" });
    expect(Object.keys((error as AppError).fieldErrors ?? {}).sort()).toEqual(["cameraMove", "durationSeconds"]);
  });

  it("refuses a poster format it cannot write", async () => {
    await expect(render("gif", small, { posterPath: path.join(dir, "poster.gif") })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      reason: "unsupported_poster_format",
    });
  });

  it("refuses a photo that is not an image", async () => {
    const notPhoto = path.join(dir, "notes.png");
    writeFileSync(notPhoto, "hello");
    await expect(render("notphoto", small, { inputPath: notPhoto })).rejects.toMatchObject({
      code: "UNSUPPORTED_MEDIA_TYPE",
      reason: "unreadable_photo",
    });
    expect(existsSync(path.join(dir, "notphoto.mp4"))).toBe(false);
  });
});
