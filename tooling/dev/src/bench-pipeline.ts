// `pnpm bench:pipeline -- --n 50`: measures the generation pipeline on this machine with the
// real parts (Postgres, Temporal dev server, a worker in its own process, ffmpeg) and prints
// plain lines and one JSON line. Figures:
// - create→workflow-start latency p50/p95 (burst of n creates, measured to Temporal's start time)
// - orchestration overhead per generation: end-to-end minus time inside the engine (sequential runs)
// - generations per second for the burst (renders bounded by the worker's render slots)
// - the worker process's peak RSS (VmHWM)
// - Animate render fps next to ffmpeg run directly with the same filter graph on the same input
import { execFileSync, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Client, Connection } from "@temporalio/client";
import { animateParamsSchema, buildFfmpegArgs, buildFilterGraph, renderAnimation } from "@animateimg/animate-engine";
import { createDb, migrateToLatest, sql } from "@animateimg/db";
import { createDbAssetLookup, createGeneration } from "@animateimg/generations";
import {
  ensureDatabase,
  findTemporalCli,
  resolvePostgres,
  startTemporalDevServer,
  waitFor,
  withDatabase,
} from "@animateimg/local-services";
import { createLocalEncryptedStore } from "@animateimg/storage";
import { createTemporalGenerationOrchestrator } from "@animateimg/workflows/client";
import { generationWorkflowId } from "@animateimg/workflows/shared";
import { customSearchAttributes } from "@animateimg/workflows/search-attributes";
import { bundleWorkflows } from "@animateimg/workflows/worker";
import { createFundedUser, createPhotoAsset, testPhoto } from "@animateimg/workflows/testing/generation-fixtures";
import { repoRoot } from "./env";

const { values } = parseArgs({
  // `pnpm bench:pipeline -- --n 50` passes the "--" through.
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    n: { type: "string", default: "20" },
    sequential: { type: "string", default: "5" },
    "render-slots": { type: "string" },
  },
  allowPositionals: true,
});
const n = Number(values.n);
const sequentialRuns = Math.min(Number(values.sequential), n);
const params = { durationSeconds: 2, resolution: "480p", fps: 24, cameraMove: "zoom_in", easing: "linear" } as const;

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const log = (line: string) => process.stderr.write(`${line}\n`);

const scratch = mkdtempSync(path.join(tmpdir(), "animateimg-bench-"));
const cleanups: Array<() => Promise<unknown>> = [];
try {
  // Services.
  const dataDir = process.env.ANIMATEIMG_DATA_DIR ?? path.join(repoRoot, ".data");
  const postgres = await resolvePostgres({ databaseUrl: process.env.DATABASE_URL, dataDir, log });
  cleanups.push(() => postgres.stop());
  const databaseName = `bench_${process.pid}`;
  const databaseUrl = await ensureDatabase(postgres.serverUrl, databaseName);
  cleanups.push(async () => {
    const admin = createDb({ url: withDatabase(postgres.serverUrl, "postgres"), maxConnections: 1 });
    await sql`drop database if exists ${sql.id(databaseName)} with (force)`.execute(admin);
    await admin.destroy();
  });
  const db = createDb({ url: databaseUrl, maxConnections: 20 });
  cleanups.push(() => db.destroy());
  await migrateToLatest(db);

  const cliPath = await findTemporalCli({ cliPath: process.env.TEMPORAL_CLI_PATH, dataDir, log });
  const temporal = await startTemporalDevServer({ cliPath, dbFile: path.join(scratch, "temporal.db"), quiet: true, searchAttributes: customSearchAttributes });
  cleanups.push(() => temporal.stop());
  const bundlePath = path.join(scratch, "bundle.js");
  writeFileSync(bundlePath, (await bundleWorkflows()).code);

  // The worker in its own process, so its memory is its own.
  const blobRoot = path.join(scratch, "blobs");
  const blobKey = randomBytes(32);
  const taskQueue = `bench-${process.pid}`;
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "packages/workflows/src/testing/worker-process.ts")], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TASK_QUEUE: taskQueue,
      WORKFLOW_BUNDLE_PATH: bundlePath,
      BLOB_ROOT: blobRoot,
      BLOB_KEY: blobKey.toString("base64"),
      ...(values["render-slots"] ? { RENDER_SLOTS: values["render-slots"] } : {}),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  cleanups.push(() => Promise.resolve(child.kill("SIGKILL")));
  let childOutput = "";
  child.stdout.on("data", (chunk: Buffer) => (childOutput += chunk.toString()));
  await waitFor("the worker to start", () => Promise.resolve(childOutput.includes("worker-ready") ? true : undefined), { timeoutMs: 60_000 });
  const peakRssMb = () => {
    const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
    return round(kb / 1024);
  };

  const connection = await Connection.connect({ address: temporal.address });
  cleanups.push(() => connection.close());
  const client = new Client({ connection });
  const orchestrator = createTemporalGenerationOrchestrator({ client, taskQueue });
  const blobStore = createLocalEncryptedStore({ root: blobRoot, keys: new Map([["test", blobKey]]), activeKeyId: "test" });
  const userId = await createFundedUser(db, (n + sequentialRuns + 1) * 10);
  const imageAssetId = await createPhotoAsset(db, blobStore, userId);
  const findOwnedAssets = createDbAssetLookup(db);

  const startOne = async () => {
    const t0 = Date.now();
    const { generation } = await createGeneration(
      db,
      { userId, modelId: "animate", prompt: "bench", params, imageAssetId, private: true, idempotencyKey: randomUUID() },
      { orchestrator, findOwnedAssets },
    );
    return { id: generation.id, t0 };
  };
  const waitDone = async (ids: string[]) =>
    waitFor(
      `${ids.length} generation(s) to finish`,
      async () => {
        const rows = await db.selectFrom("generations").select(["id", "status"]).where("id", "in", ids).execute();
        const failed = rows.filter((r) => r.status === "failed" || r.status === "canceled");
        if (failed.length > 0) throw new Error(`generation ${failed[0]!.id} ${failed[0]!.status}`);
        return rows.every((r) => r.status === "succeeded") ? true : undefined;
      },
      { timeoutMs: 30 * 60_000, intervalMs: 100 },
    );
  const timings = async (started: Array<{ id: string; t0: number }>) => {
    const rows = await db
      .selectFrom("generations")
      .innerJoin("generation_attempts", "generation_attempts.generation_id", "generations.id")
      .select(["generations.id", "generations.finished_at", "generation_attempts.engine_ms"])
      .where("generations.id", "in", started.map((s) => s.id))
      .execute();
    return rows.map((row) => {
      const t0 = started.find((s) => s.id === row.id)!.t0;
      const endToEnd = row.finished_at!.getTime() - t0;
      return { endToEnd, overhead: endToEnd - (row.engine_ms ?? 0), engine: row.engine_ms ?? 0 };
    });
  };

  // Warm-up: first render pays for cold caches.
  const warm = await startOne();
  await waitDone([warm.id]);

  log(`sequential: ${sequentialRuns} generation(s) one after another`);
  const sequential: Array<{ id: string; t0: number }> = [];
  for (let i = 0; i < sequentialRuns; i += 1) {
    const one = await startOne();
    await waitDone([one.id]);
    sequential.push(one);
  }
  const sequentialTimings = await timings(sequential);

  log(`burst: ${n} generation(s) created at once`);
  const burstStarted = Date.now();
  const burst = await Promise.all(Array.from({ length: n }, () => startOne()));
  await waitDone(burst.map((b) => b.id));
  const burstSeconds = (Date.now() - burstStarted) / 1000;
  const startLatencies = await Promise.all(
    burst.map(async ({ id, t0 }) => {
      const description = await client.workflow.getHandle(generationWorkflowId(id)).describe();
      return description.startTime.getTime() - t0;
    }),
  );
  const workerPeakRssMb = peakRssMb();

  // Render speed: the engine's render() against ffmpeg run directly with the same graph.
  const photo = path.join(scratch, "photo.jpg");
  writeFileSync(photo, testPhoto());
  const [photoWidth, photoHeight] = execFileSync("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", photo])
    .toString()
    .trim()
    .split(",")
    .map(Number) as [number, number];
  const renderParams = animateParamsSchema.parse({ durationSeconds: 5, resolution: "720p", fps: 24, cameraMove: "zoom_in" });
  const plan = buildFilterGraph(renderParams, { width: photoWidth, height: photoHeight });
  const engineFps: number[] = [];
  const directFps: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const result = await renderAnimation({ inputPath: photo, outputPath: path.join(scratch, `e${i}.mp4`), posterPath: path.join(scratch, `e${i}.jpg`), params: renderParams });
    engineFps.push(result.frames / (result.renderMs / 1000));
    const started = performance.now();
    execFileSync("ffmpeg", buildFfmpegArgs(plan, photo, path.join(scratch, `d${i}.mp4`), { path: path.join(scratch, `d${i}.jpg`), format: "jpeg" }), { stdio: "ignore" });
    directFps.push(plan.frames / ((performance.now() - started) / 1000));
  }

  const figures = {
    n,
    sequentialRuns,
    clip: params,
    createToStartMs: { p50: round(quantile(startLatencies, 0.5)), p95: round(quantile(startLatencies, 0.95)) },
    overheadMs: {
      p50: round(quantile(sequentialTimings.map((t) => t.overhead), 0.5)),
      p95: round(quantile(sequentialTimings.map((t) => t.overhead), 0.95)),
    },
    endToEndMsSequential: { p50: round(quantile(sequentialTimings.map((t) => t.endToEnd), 0.5)) },
    generationsPerSecond: round(n / burstSeconds, 2),
    workerPeakRssMb,
    renderFps720p: { engine: round(quantile(engineFps, 0.5)), ffmpegDirect: round(quantile(directFps, 0.5)) },
  };
  console.log(`create→workflow start: p50 ${figures.createToStartMs.p50} ms, p95 ${figures.createToStartMs.p95} ms (burst of ${n})`);
  console.log(`orchestration overhead (end-to-end − engine): p50 ${figures.overheadMs.p50} ms, p95 ${figures.overheadMs.p95} ms (${sequentialRuns} sequential)`);
  console.log(`throughput: ${figures.generationsPerSecond} generations/s (burst of ${n}, 2 s 480p clips)`);
  console.log(`worker peak RSS: ${workerPeakRssMb} MB`);
  console.log(`Animate render (5 s 720p zoom): engine ${figures.renderFps720p.engine} fps, ffmpeg direct ${figures.renderFps720p.ffmpegDirect} fps`);
  console.log(JSON.stringify(figures));
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  rmSync(scratch, { recursive: true, force: true });
}
