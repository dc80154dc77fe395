import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { AppError } from "@animateimg/core";

export interface FfmpegBinaries {
  ffmpegPath: string;
  ffprobePath: string;
  /** Where each binary came from, for the one start-up line an app prints. */
  source: { ffmpeg: FfmpegSource; ffprobe: FfmpegSource };
}

export type FfmpegSource = "option" | "path" | "package";

export interface ResolveFfmpegOptions {
  /** An explicit binary (an app passes `FFMPEG_PATH` here); used as given, never replaced. */
  ffmpegPath?: string | undefined;
  /** An explicit binary (an app passes `FFPROBE_PATH` here). */
  ffprobePath?: string | undefined;
}

const cache = new Map<string, Promise<FfmpegBinaries>>();

/**
 * Finds ffmpeg and ffprobe once per set of options. The system binaries come first because
 * a distribution's ffmpeg is newer and has more encoders than the static build the npm
 * packages ship (ffmpeg 4.1 from 2018); the packages are the fallback so a machine without
 * ffmpeg still works after a plain `pnpm install`.
 */
export function resolveFfmpeg(options: ResolveFfmpegOptions = {}): Promise<FfmpegBinaries> {
  const key = JSON.stringify([options.ffmpegPath ?? null, options.ffprobePath ?? null]);
  let pending = cache.get(key);
  if (!pending) {
    pending = resolveUncached(options);
    // A failed lookup is not cached: installing ffmpeg afterwards should be enough.
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}

/** Forgets every resolved pair (tests, or after an app changes its configuration). */
export function clearResolvedFfmpeg(): void {
  cache.clear();
}

async function resolveUncached(options: ResolveFfmpegOptions): Promise<FfmpegBinaries> {
  const [ffmpeg, ffprobe] = await Promise.all([
    resolveOne("ffmpeg", options.ffmpegPath, "@ffmpeg-installer/ffmpeg"),
    resolveOne("ffprobe", options.ffprobePath, "@ffprobe-installer/ffprobe"),
  ]);
  return {
    ffmpegPath: ffmpeg.path,
    ffprobePath: ffprobe.path,
    source: { ffmpeg: ffmpeg.source, ffprobe: ffprobe.source },
  };
}

async function resolveOne(
  name: "ffmpeg" | "ffprobe",
  explicit: string | undefined,
  packageName: string,
): Promise<{ path: string; source: FfmpegSource }> {
  if (explicit) {
    if (!(await runsVersion(explicit))) {
      throw unavailable(name, `${name} at ${explicit} (configured) does not run.`, {
        configured: "yes",
        path: explicit,
      });
    }
    return { path: explicit, source: "option" };
  }
  // Spawning by bare name lets the OS search PATH, so this package never reads process.env.
  if (await runsVersion(name)) return { path: name, source: "path" };

  const shipped = packagedBinary(packageName);
  if (shipped && (await runsVersion(shipped))) return { path: shipped, source: "package" };

  throw unavailable(
    name,
    `${name} was not found: install it (e.g. apt-get install ffmpeg), or set its path in the configuration.`,
    {
      configured: "no",
      path: "",
    },
  );
}

function unavailable(
  name: "ffmpeg" | "ffprobe",
  message: string,
  params: { configured: "yes" | "no"; path: string },
): AppError {
  return name === "ffmpeg"
    ? new AppError("SERVICE_UNAVAILABLE", message, { reason: "ffmpeg_unavailable", params })
    : new AppError("SERVICE_UNAVAILABLE", message, { reason: "ffprobe_unavailable", params });
}

function packagedBinary(packageName: string): string | undefined {
  try {
    // The installer packages are CommonJS and throw when no binary exists for this platform.
    const loaded = createRequire(import.meta.url)(packageName) as { path?: unknown };
    return typeof loaded.path === "string" ? loaded.path : undefined;
  } catch {
    return undefined;
  }
}

function runsVersion(binary: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(binary, ["-version"], { timeout: 15_000 }, (error) => resolve(error === null));
  });
}
