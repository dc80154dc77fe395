// The fakes serve a real MP4 (H.264, yuv420p, faststart) so downstream code (copy to storage,
// probe, poster) runs against a real file. Made once with ffmpeg and reused.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface EnsureFakeVideoOptions {
  /** Where to keep it. Default: the OS temp folder. */
  directory?: string;
  /** Default "ffmpeg" from PATH. */
  ffmpegPath?: string;
}

export async function ensureFakeVideo(options: EnsureFakeVideoOptions = {}): Promise<string> {
  const directory = options.directory ?? path.join(tmpdir(), "animateimg-provider-fakes");
  const file = path.join(directory, "fake-output-320x240-2s.mp4");
  if (existsSync(file) && statSync(file).size > 0) return file;
  mkdirSync(directory, { recursive: true });
  // Written under a unique name and renamed: parallel test files may race to create it.
  const partial = `${file}.${process.pid}.${Date.now()}.mp4`;
  await run(options.ffmpegPath ?? "ffmpeg", [
    "-hide_banner",
    "-loglevel",
    "error",
    "-y",
    "-f",
    "lavfi",
    "-i",
    "testsrc2=size=320x240:rate=24",
    "-t",
    "2",
    "-pix_fmt",
    "yuv420p",
    "-c:v",
    "libx264",
    "-movflags",
    "+faststart",
    partial,
  ]);
  renameSync(partial, file);
  return file;
}

/** A 2×2 PNG: the photo the fakes serve as our "signed media URL" in tests. */
export const FAKE_PHOTO_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==",
  "base64",
);
