/**
 * Render benchmark: N clips (default 3) at 720p, 5 s, 24 fps, each rendered twice —
 * through `renderAnimation` (probe the photo, encode clip and poster, probe the result) and by
 * running ffmpeg directly with the identical arguments from `buildFfmpegArgs` — so the
 * engine's own overhead shows as the difference. Peak RSS of the direct ffmpeg is read from
 * /proc/<pid>/status (VmHWM, the kernel's high-water mark) while it runs; on systems without
 * /proc it is reported as null.
 *
 *   pnpm --filter @animateimg/animate-engine bench [-- --clips 3 --resolution 720p --duration 5 --photo path]
 */
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs, promisify } from "node:util";
import { probeImageSize, resolveFfmpeg } from "@animateimg/media";
import { animateParamsSchema, cameraMoves, type AnimateParams } from "../animate-params";
import { buildFfmpegArgs, buildFilterGraph } from "../build-filter-graph";
import { renderAnimation } from "../render-animation";

const { values } = parseArgs({
  options: {
    clips: { type: "string", default: "3" },
    resolution: { type: "string", default: "720p" },
    duration: { type: "string", default: "5" },
    fps: { type: "string", default: "24" },
    photo: { type: "string" },
  },
});

const binaries = await resolveFfmpeg();
const dir = mkdtempSync(path.join(tmpdir(), "animate-bench-"));
const run = promisify(execFile);

try {
  const photo = values.photo ?? path.join(dir, "photo.png");
  if (!values.photo) {
    // A 3:2 "camera" photo with fine texture, so the encoder has real detail to code.
    await run(binaries.ffmpegPath, [
      "-v", "error", "-y",
      "-f", "lavfi", "-i", "testsrc2=size=3000x2000",
      "-vf", "noise=alls=14:allf=u", "-frames:v", "1", "-update", "1", photo,
    ]); // prettier-ignore
  }
  const source = await probeImageSize(photo, binaries);
  const clips = Number(values.clips);
  const { stdout: versionLine } = await run(binaries.ffmpegPath, ["-version"]);
  console.log(`ffmpeg: ${binaries.ffmpegPath} (${versionLine.split("\n")[0] ?? "?"}); cpus: ${cpus().length}`);
  const loadAtStart = loadavg()[0] ?? 0;
  console.log(`photo: ${source.width}x${source.height}; clips: ${clips}; load average ${loadAtStart.toFixed(2)}`);

  const rows: Array<{
    move: string;
    frames: number;
    engineMs: number;
    directMs: number;
    engineFps: number;
    directFps: number;
    directPeakRssMb: number | null;
    engineCpuMs: number | null;
    directCpuMs: number | null;
  }> = [];

  for (let i = 0; i < clips; i++) {
    // Rotate through moves so zoom-only graphs do not flatter the numbers.
    const move = cameraMoves[(i * 3) % cameraMoves.length] ?? "zoom_in";
    const params: AnimateParams = animateParamsSchema.parse({
      cameraMove: move,
      resolution: values.resolution,
      durationSeconds: Number(values.duration),
      fps: Number(values.fps),
      easing: "ease_in_out",
    });

    const plan = buildFilterGraph(params, source);
    const viaEngine = async () => {
      const cpuBefore = childrenCpuMs();
      const started = performance.now();
      const result = await renderAnimation({
        inputPath: photo,
        outputPath: path.join(dir, `engine-${i}.mp4`),
        posterPath: path.join(dir, `engine-${i}.jpg`),
        params,
        binaries,
      });
      return { result, ms: performance.now() - started, cpuMs: cpuSince(cpuBefore) };
    };
    const viaFfmpeg = async () => {
      const cpuBefore = childrenCpuMs();
      const run = await timeFfmpeg(
        binaries.ffmpegPath,
        buildFfmpegArgs(plan, photo, path.join(dir, `direct-${i}.mp4`), {
          path: path.join(dir, `direct-${i}.jpg`),
          format: "jpeg",
        }),
      );
      return { ...run, cpuMs: cpuSince(cpuBefore) };
    };
    // Alternate which goes first, so a burst of load from elsewhere does not always land
    // on the same side.
    let engineRun: Awaited<ReturnType<typeof viaEngine>>;
    let direct: Awaited<ReturnType<typeof viaFfmpeg>>;
    if (i % 2 === 0) {
      engineRun = await viaEngine();
      direct = await viaFfmpeg();
    } else {
      direct = await viaFfmpeg();
      engineRun = await viaEngine();
    }
    const engine = engineRun.result;
    const engineMs = engineRun.ms;

    const row = {
      move,
      frames: engine.frames,
      engineMs: Math.round(engineMs),
      directMs: Math.round(direct.ms),
      engineFps: round(engine.frames / (engineMs / 1000)),
      directFps: round(plan.frames / (direct.ms / 1000)),
      directPeakRssMb: direct.peakRssKb === null ? null : round(direct.peakRssKb / 1024),
      engineCpuMs: engineRun.cpuMs,
      directCpuMs: direct.cpuMs,
    };
    rows.push(row);
    console.log(
      `clip ${i + 1} ${move} ${plan.width}x${plan.height} canvas ${plan.canvasWidth}x${plan.canvasHeight} ` +
        `${row.frames} frames: engine ${row.engineMs} ms (${row.engineFps} fps), ` +
        `ffmpeg direct ${row.directMs} ms (${row.directFps} fps), peak RSS ${row.directPeakRssMb ?? "n/a"} MB; ` +
        `CPU engine ${row.engineCpuMs ?? "n/a"} ms, direct ${row.directCpuMs ?? "n/a"} ms`,
    );
  }

  const sum = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + pick(r), 0);
  const frames = sum((r) => r.frames);
  const summary = {
    bench: "animate-engine/render",
    resolution: values.resolution,
    durationSeconds: Number(values.duration),
    fps: Number(values.fps),
    clips: rows.length,
    cpus: cpus().length,
    engineFps: round(frames / (sum((r) => r.engineMs) / 1000)),
    directFfmpegFps: round(frames / (sum((r) => r.directMs) / 1000)),
    engineOverheadMsPerClip: Math.round((sum((r) => r.engineMs) - sum((r) => r.directMs)) / rows.length),
    peakRssMb: rows.some((r) => r.directPeakRssMb === null)
      ? null
      : Math.max(...rows.map((r) => r.directPeakRssMb ?? 0)),
    // CPU time of all child processes (ffmpeg, ffprobe): unlike wall time it barely moves
    // when other work shares the cores, so it shows the engine's real overhead.
    engineCpuMsPerClip: cpuPerClip(rows.map((r) => r.engineCpuMs)),
    directCpuMsPerClip: cpuPerClip(rows.map((r) => r.directCpuMs)),
    loadAverageAtStart: round(loadAtStart),
    rows,
  };
  console.log(
    `total: engine ${summary.engineFps} fps, ffmpeg direct ${summary.directFfmpegFps} fps, ` +
      `engine overhead ${summary.engineOverheadMsPerClip} ms/clip, ffmpeg peak RSS ${summary.peakRssMb ?? "n/a"} MB, ` +
      `CPU per clip engine ${summary.engineCpuMsPerClip ?? "n/a"} ms vs direct ${summary.directCpuMsPerClip ?? "n/a"} ms ` +
      `(load average at start ${summary.loadAverageAtStart})`,
  );
  console.log(JSON.stringify(summary));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * CPU used by this process's finished children (fields cutime + cstime of /proc/self/stat,
 * in clock ticks of 1/100 s on Linux), or null without /proc.
 */
function childrenCpuMs(): number | null {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    // Fields after the parenthesised command name; cutime and cstime are the 16th and 17th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return null;
  }
}

function cpuSince(before: number | null): number | null {
  const now = childrenCpuMs();
  return before === null || now === null ? null : now - before;
}

function cpuPerClip(values: Array<number | null>): number | null {
  if (values.some((v) => v === null)) return null;
  return Math.round(values.reduce<number>((a, v) => a + (v ?? 0), 0) / values.length);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Runs ffmpeg as the engine would, sampling VmHWM every 50 ms until it exits. */
function timeFfmpeg(ffmpegPath: string, args: string[]): Promise<{ ms: number; peakRssKb: number | null }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(ffmpegPath, ["-hide_banner", "-nostdin", "-loglevel", "error", ...args], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    let peakRssKb: number | null = null;
    const sample = () => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        if (match?.[1]) peakRssKb = Math.max(peakRssKb ?? 0, Number(match[1]));
      } catch {
        // Gone already, or no /proc here: keep the last reading (or none).
      }
    };
    sample();
    const timer = setInterval(sample, 50);
    child.once("error", (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.once("exit", (code) => {
      clearInterval(timer);
      if (code === 0) resolve({ ms: performance.now() - started, peakRssKb });
      else reject(new Error(`ffmpeg exited with ${code}: ${stderr.trim()}`));
    });
  });
}
