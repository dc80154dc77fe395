import { execFile } from "node:child_process";
import { open, stat } from "node:fs/promises";
import { AppError } from "@animateimg/core";
import { resolveFfmpeg, type FfmpegBinaries } from "./resolve-ffmpeg";

export interface VideoProbe {
  durationSeconds: number;
  width: number;
  height: number;
  /** ffprobe's codec_name of the first video stream, e.g. "h264". */
  codec: string;
  /** e.g. "yuv420p". */
  pixelFormat: string;
  fps: number;
  bytes: number;
  hasAudio: boolean;
  /** The `moov` box comes before `mdat`, so a browser can start playing before the download ends. */
  faststart: boolean;
  /** ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  formatName: string;
}

export interface ProbeVideoOptions {
  binaries?: FfmpegBinaries | undefined;
}

interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string; size?: string };
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
}

/** Still-image demuxers: ffprobe reads a photo as a one-frame "video", which is not one. */
const imageFormat = /(^|,)(image2|[a-z0-9]+_pipe|gif|apng|webp)(,|$)/;

export async function probeVideo(path: string, options: ProbeVideoOptions = {}): Promise<VideoProbe> {
  const size = await stat(path).catch((cause: unknown) => {
    throw new AppError("BAD_REQUEST", `The video file ${path} cannot be read.`, {
      reason: "file_unreadable",
      params: { path },
      cause,
    });
  });
  if (!size.isFile()) {
    throw new AppError("BAD_REQUEST", `${path} is not a file.`, { reason: "not_a_file", params: { path } });
  }
  const binaries = options.binaries ?? (await resolveFfmpeg());

  let output: FfprobeOutput;
  try {
    const json = await execFileText(binaries.ffprobePath, [
      "-v",
      "error",
      "-print_format",
      "json",
      "-show_format",
      "-show_streams",
      path,
    ]);
    output = JSON.parse(json) as FfprobeOutput;
  } catch (cause) {
    throw notAVideo(path, cause);
  }

  const formatName = output.format?.format_name ?? "";
  const streams = output.streams ?? [];
  const video = streams.find((s) => s.codec_type === "video" && s.disposition?.attached_pic !== 1);
  if (!video || imageFormat.test(formatName)) throw notAVideo(path);

  const durationSeconds = Number(output.format?.duration ?? video.duration);
  const width = video.width ?? 0;
  const height = video.height ?? 0;
  if (!(durationSeconds > 0) || width <= 0 || height <= 0) throw notAVideo(path);

  return {
    durationSeconds,
    width,
    height,
    codec: video.codec_name ?? "unknown",
    pixelFormat: video.pix_fmt ?? "unknown",
    fps: parseRate(video.avg_frame_rate) ?? parseRate(video.r_frame_rate) ?? 0,
    bytes: size.size,
    hasAudio: streams.some((s) => s.codec_type === "audio"),
    faststart: await moovBeforeMdat(path),
    formatName,
  };
}

function notAVideo(path: string, cause?: unknown): AppError {
  return new AppError("UNSUPPORTED_MEDIA_TYPE", `${path} is not a video we can read.`, {
    reason: "not_a_video",
    params: { path },
    cause,
  });
}

function parseRate(rate: string | undefined): number | undefined {
  if (!rate) return undefined;
  const [num, den] = rate.split("/").map(Number);
  if (num === undefined || !Number.isFinite(num)) return undefined;
  const value = den === undefined ? num : den === 0 ? Number.NaN : num / den;
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * Walks the top-level ISO-BMFF boxes. ffprobe has no field for box order, and reading box
 * headers costs a few small reads instead of a trace-level ffprobe dump of the whole file.
 * Anything that is not MP4/MOV has no moov and reports false.
 */
export async function moovBeforeMdat(path: string): Promise<boolean> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const header = Buffer.alloc(16);
    let offset = 0;
    while (offset + 8 <= size) {
      const { bytesRead } = await file.read(header, 0, 16, offset);
      if (bytesRead < 8) return false;
      let boxSize = header.readUInt32BE(0);
      const type = header.toString("latin1", 4, 8);
      if (type === "moov") return true;
      if (type === "mdat") return false;
      if (boxSize === 1) {
        if (bytesRead < 16) return false;
        boxSize = Number(header.readBigUInt64BE(8));
      } else if (boxSize === 0) {
        return false; // box runs to the end of the file
      }
      if (boxSize < 8) return false;
      offset += boxSize;
    }
    return false;
  } finally {
    await file.close();
  }
}

/** Pixel size of an image (or a video's first stream), for checking what was written. */
export async function probeImageSize(
  path: string,
  binaries: FfmpegBinaries,
): Promise<{ width: number; height: number }> {
  const json = await execFileText(binaries.ffprobePath, [
    "-v",
    "error",
    "-print_format",
    "json",
    "-show_streams",
    path,
  ]);
  const stream = (JSON.parse(json) as FfprobeOutput).streams?.find((s) => s.codec_type === "video");
  if (!stream?.width || !stream.height) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", `${path} is not an image we can read.`, {
      reason: "not_an_image",
      params: { path },
    });
  }
  return { width: stream.width, height: stream.height };
}

function execFileText(binary: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { maxBuffer: 16 * 1024 * 1024, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr.trim()}`, { cause: error }));
      else resolve(stdout);
    });
  });
}
