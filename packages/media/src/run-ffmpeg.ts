import { spawn } from "node:child_process";
import { FfmpegError } from "./ffmpeg-error";
import { resolveFfmpeg, type FfmpegBinaries } from "./resolve-ffmpeg";

export interface RunFfmpegOptions {
  /** Called with a fraction in 0..1 that never decreases; 1 once ffmpeg reports the end. */
  onProgress?: ((fraction: number) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** Length of the output being written; without it only the final 1 is reported. */
  totalDurationSeconds?: number | undefined;
  /** Which binaries to use; resolved (and cached) with defaults when absent. */
  binaries?: FfmpegBinaries | undefined;
  /** Lets a caller watch the process, e.g. sample /proc/<pid>/status for memory. */
  onSpawn?: ((pid: number) => void) | undefined;
  /** How many stderr lines to keep for the error message. */
  stderrTailLines?: number | undefined;
}

export interface RunFfmpegResult {
  /** The last stderr lines, useful for warnings even on success. */
  stderrTail: string;
}

/**
 * Runs ffmpeg with machine-readable progress on stdout (`-progress pipe:1`) instead of the
 * human status line on stderr, which ffmpeg redraws with carriage returns and changes
 * between versions. Resolves when ffmpeg exits 0. On abort the process is killed and the
 * promise rejects only after it has exited, so the caller may delete partial output safely.
 */
export async function runFfmpeg(args: readonly string[], options: RunFfmpegOptions = {}): Promise<RunFfmpegResult> {
  const { onProgress, signal, totalDurationSeconds } = options;
  signal?.throwIfAborted();
  const binaries = options.binaries ?? (await resolveFfmpeg());
  signal?.throwIfAborted();
  const tailLimit = options.stderrTailLines ?? 20;

  const child = spawn(
    binaries.ffmpegPath,
    ["-hide_banner", "-nostdin", "-progress", "pipe:1", "-nostats", "-loglevel", "error", ...args],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  if (child.pid !== undefined) options.onSpawn?.(child.pid);

  let reported = -1;
  const report = (fraction: number) => {
    const clamped = Math.min(1, Math.max(0, fraction));
    if (clamped > reported) {
      reported = clamped;
      onProgress?.(clamped);
    }
  };
  report(0);

  let stdoutRest = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    const lines = (stdoutRest + chunk).split("\n");
    stdoutRest = lines.pop() ?? "";
    for (const line of lines) {
      const [key, value] = splitKeyValue(line);
      if (key === "progress" && value === "end") {
        report(1);
      } else if (key === "out_time_us" || key === "out_time_ms") {
        // Both keys hold microseconds (out_time_ms is misnamed in ffmpeg); "N/A" before the first frame.
        const micros = Number(value);
        if (Number.isFinite(micros) && totalDurationSeconds && totalDurationSeconds > 0) {
          // 0.999 cap: the end is reported by progress=end, not by a rounding of out_time.
          report(Math.min(0.999, micros / 1e6 / totalDurationSeconds));
        }
      }
    }
  });

  const stderrLines: string[] = [];
  let stderrRest = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    const lines = (stderrRest + chunk).split(/\r?\n|\r/);
    stderrRest = lines.pop() ?? "";
    for (const line of lines) {
      if (line.trim() === "") continue;
      stderrLines.push(line);
      if (stderrLines.length > tailLimit) stderrLines.shift();
    }
  });

  const onAbort = () => {
    // SIGKILL, not SIGTERM: a terminated ffmpeg still finalises the file, which is work
    // nobody wants once the render is cancelled.
    child.kill("SIGKILL");
  };
  signal?.addEventListener("abort", onAbort, { once: true });

  try {
    const { code, exitSignal } = await new Promise<{ code: number | null; exitSignal: NodeJS.Signals | null }>(
      (resolve, reject) => {
        child.once("error", reject);
        child.once("close", (code, exitSignal) => resolve({ code, exitSignal }));
      },
    );
    if (stderrRest.trim() !== "") stderrLines.push(stderrRest);
    const stderrTail = stderrLines.slice(-tailLimit).join("\n");
    if (signal?.aborted) throw abortReason(signal);
    if (code !== 0) {
      throw new FfmpegError(`ffmpeg exited with ${code === null ? `signal ${exitSignal}` : `code ${code}`}`, {
        exitCode: code,
        exitSignal,
        stderrTail,
      });
    }
    report(1);
    return { stderrTail };
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

function splitKeyValue(line: string): [string, string] {
  const at = line.indexOf("=");
  return at < 0 ? [line.trim(), ""] : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
}
