import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@animateimg/core";
import { extractPoster, FfmpegError, probeVideo, resolveFfmpeg, runFfmpeg, type FfmpegBinaries } from "./index";

let dir: string;
let binaries: FfmpegBinaries;
let faststartMp4: string;
let plainMp4: string;

// Small lavfi-generated clips keep the CPU cost of this file to a fraction of a second.
function makeClip(out: string, extra: string[]) {
  execFileSync(binaries.ffmpegPath, [
    "-v", "error", "-y",
    "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=24:duration=1",
    "-f", "lavfi", "-i", "sine=frequency=440:duration=1",
    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
    ...extra, out,
  ]); // prettier-ignore
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "media-test-"));
  binaries = await resolveFfmpeg();
  faststartMp4 = path.join(dir, "fast.mp4");
  plainMp4 = path.join(dir, "plain.mp4");
  makeClip(faststartMp4, ["-movflags", "+faststart"]);
  makeClip(plainMp4, []);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("resolveFfmpeg", () => {
  it("prefers the system binaries, else the packaged ones, and caches the answer", async () => {
    const first = await resolveFfmpeg();
    const onPath = (name: string) => {
      try {
        execFileSync(name, ["-version"], { stdio: "ignore" });
        return "path";
      } catch {
        return "package";
      }
    };
    expect(first.source).toEqual({ ffmpeg: onPath("ffmpeg"), ffprobe: onPath("ffprobe") });
    expect(await resolveFfmpeg()).toBe(first);
  });

  it("uses a configured path, and the binaries shipped in the npm packages run here", async () => {
    const require = createRequire(import.meta.url);
    const shipped = {
      ffmpegPath: (require("@ffmpeg-installer/ffmpeg") as { path: string }).path,
      ffprobePath: (require("@ffprobe-installer/ffprobe") as { path: string }).path,
    };
    const resolved = await resolveFfmpeg(shipped);
    expect(resolved).toMatchObject({ ...shipped, source: { ffmpeg: "option", ffprobe: "option" } });
  });

  it("refuses a configured path that does not run", async () => {
    await expect(resolveFfmpeg({ ffmpegPath: path.join(dir, "no-such-ffmpeg") })).rejects.toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      reason: "ffmpeg_unavailable",
    });
  });
});

describe("probeVideo", () => {
  it("reads an H.264 MP4 with audio and sees faststart", async () => {
    const probe = await probeVideo(faststartMp4);
    expect(probe).toMatchObject({ width: 160, height: 120, codec: "h264", pixelFormat: "yuv420p", hasAudio: true });
    expect(probe.fps).toBeCloseTo(24, 5);
    expect(probe.durationSeconds).toBeGreaterThan(0.9);
    expect(probe.durationSeconds).toBeLessThan(1.1);
    expect(probe.bytes).toBe(statSync(faststartMp4).size);
    expect(probe.faststart).toBe(true);
  });

  it("reports faststart false when mdat precedes moov", async () => {
    expect((await probeVideo(plainMp4)).faststart).toBe(false);
  });

  it("rejects a file that is not a video with UNSUPPORTED_MEDIA_TYPE", async () => {
    const text = path.join(dir, "notes.mp4");
    writeFileSync(text, "not a video at all");
    const error: unknown = await probeVideo(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE", reason: "not_a_video" });
  });

  it("rejects a still image: a photo is not a video", async () => {
    const jpeg = path.join(dir, "still.jpg");
    execFileSync(binaries.ffmpegPath, [
      "-v",
      "error",
      "-y",
      "-f",
      "lavfi",
      "-i",
      "testsrc2=size=64x48",
      "-frames:v",
      "1",
      jpeg,
    ]);
    await expect(probeVideo(jpeg)).rejects.toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE" });
  });

  it("rejects a missing file with BAD_REQUEST", async () => {
    await expect(probeVideo(path.join(dir, "missing.mp4"))).rejects.toMatchObject({
      code: "BAD_REQUEST",
      reason: "file_unreadable",
    });
  });
});

describe("extractPoster", () => {
  it("writes a JPEG of the requested width", async () => {
    const out = path.join(dir, "poster.jpg");
    const poster = await extractPoster(faststartMp4, out, { atSeconds: 0.5, width: 80 });
    expect(poster).toMatchObject({ path: out, format: "jpeg", width: 80, height: 60 });
    const magic = Buffer.alloc(3);
    const { openSync, readSync, closeSync } = await import("node:fs");
    const fd = openSync(out, "r");
    readSync(fd, magic, 0, 3, 0);
    closeSync(fd);
    expect([...magic]).toEqual([0xff, 0xd8, 0xff]);
  });

  it("writes a WebP and clamps a time past the end to the last frame", async () => {
    const poster = await extractPoster(faststartMp4, path.join(dir, "poster.webp"), { atSeconds: 99 });
    expect(poster).toMatchObject({ format: "webp", width: 160, height: 120 });
    expect(poster.bytes).toBeGreaterThan(0);
  });
});

describe("runFfmpeg", () => {
  it("reports progress that rises monotonically from 0 to 1", async () => {
    const seen: number[] = [];
    await runFfmpeg(
      [
        "-y",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=160x120:rate=24:duration=2",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        path.join(dir, "progress.mp4"),
      ],
      { totalDurationSeconds: 2, onProgress: (f) => seen.push(f), binaries },
    );
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1] ?? 0);
  });

  it("rejects with the tail of stderr when ffmpeg fails", async () => {
    const error: unknown = await runFfmpeg(["-i", path.join(dir, "missing.mov"), path.join(dir, "x.mp4")], {
      binaries,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FfmpegError);
    expect((error as FfmpegError).exitCode).not.toBe(0);
    expect((error as FfmpegError).stderrTail).toMatch(/missing\.mov: No such file or directory/);
  });

  it("kills ffmpeg when the signal aborts", async () => {
    const controller = new AbortController();
    let pid: number | undefined;
    const started = Date.now();
    const run = runFfmpeg(
      // An endless source: only the abort can end this run.
      ["-y", "-re", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=24", "-f", "null", "-"],
      {
        binaries,
        signal: controller.signal,
        onSpawn: (p) => (pid = p),
        totalDurationSeconds: 60,
        onProgress: (fraction) => {
          if (fraction > 0) controller.abort();
        },
      },
    );
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(pid).toBeDefined();
    expect(() => process.kill(pid ?? 0, 0)).toThrow();
  });

  it("does not start when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    let spawned = false;
    await expect(
      runFfmpeg(["-version"], { binaries, signal: controller.signal, onSpawn: () => (spawned = true) }),
    ).rejects.toMatchObject({ name: "AbortError" });
    expect(spawned).toBe(false);
  });
});
