// `pnpm bench:pipeline [-- --tiny | --e2e-runs 5 --starts 200 ...]`: measures the generation
// pipeline on this machine with the real parts (Postgres, Temporal dev server, workers in their
// own processes, the tRPC endpoint over HTTP, ffmpeg), each figure beside its baseline in the
// same run, on the same services. Plain lines go to stdout as they come; the last line is one
// JSON object with the figures README's performance section lists (names are a contract:
// tools read them). One module per measurement under ./bench.
import { parseArgs } from "node:util";
import { createFundedUser, createPhotoAsset } from "@animateimg/workflows/testing/generation-fixtures";
import { startApiServer } from "./bench/api-server";
import { benchClip } from "./bench/clip";
import { measureEndToEnd } from "./bench/end-to-end";
import { measureHotUserReservations } from "./bench/hot-user-reservations";
import { observeMachine } from "./bench/machine";
import { startBenchServices } from "./bench/services";
import { measureSseFanout } from "./bench/sse-fanout";
import { measureStartRate } from "./bench/start-rate";
import { round } from "./bench/stats";
import { createTrpcBrowser } from "./bench/trpc-client";
import { measureWorkerRss } from "./bench/worker-rss";

const { values } = parseArgs({
  // `pnpm bench:pipeline -- --tiny` passes the "--" through.
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    // Small everything: proves the bench runs and prints every field (its test), not a measurement.
    tiny: { type: "boolean", default: false },
    "e2e-runs": { type: "string" },
    starts: { type: "string" },
    "start-concurrency": { type: "string" },
    reservations: { type: "string" },
    "reservation-concurrency": { type: "string" },
    "in-flight": { type: "string" },
    "hold-ms": { type: "string" },
    streams: { type: "string" },
    ticks: { type: "string" },
    "render-slots": { type: "string" },
  },
  allowPositionals: true,
});
const tiny = values.tiny;
const option = (name: keyof typeof values, full: number, small: number) => {
  const given = values[name];
  return typeof given === "string" ? Number(given) : tiny ? small : full;
};
const settings = {
  e2eRuns: option("e2e-runs", 5, 1),
  starts: option("starts", 200, 4),
  startConcurrency: option("start-concurrency", 20, 2),
  reservations: option("reservations", 2000, 20),
  reservationConcurrency: option("reservation-concurrency", 20, 4),
  inFlight: option("in-flight", 1000, 5),
  holdMs: option("hold-ms", 15_000, 500),
  streams: option("streams", 200, 3),
  ticks: option("ticks", 20, 2),
};
const clip = benchClip(tiny);
const log = (line: string) => process.stderr.write(`${line}\n`);
const say = (line: string) => process.stdout.write(`${line}\n`);

const machineAtEnd = observeMachine();
const services = await startBenchServices({ log });
try {
  const { db, client, blobStore } = services;
  const taskQueue = `bench-${process.pid}`;
  await services.startWorker({
    taskQueue,
    ...(values["render-slots"] ? { renderSlots: Number(values["render-slots"]) } : {}),
  });
  const api = await startApiServer({ db, databaseUrl: services.databaseUrl, client, taskQueue });
  // Creates only: the same endpoint on a queue nobody polls, so no render competes.
  const createsOnlyApi = await startApiServer({
    db,
    databaseUrl: services.databaseUrl,
    client,
    taskQueue: `bench-creates-only-${process.pid}`,
  });
  try {
    const signedIn = async (origin: string, credits: number) => {
      const userId = await createFundedUser(db, credits);
      const imageAssetId = await createPhotoAsset(db, blobStore, userId);
      return { userId, imageAssetId, cookie: await api.sessionCookie(userId), origin };
    };

    log(`end to end: ${settings.e2eRuns} sequential generation(s) over HTTP, beside ffmpeg alone`);
    const e2eUser = await signedIn(api.origin, 10_000);
    const e2e = await measureEndToEnd({
      db,
      browser: createTrpcBrowser(e2eUser),
      imageAssetId: e2eUser.imageAssetId,
      clip,
      runs: settings.e2eRuns,
      scratch: services.scratch,
    });

    log(
      `start rate: ${settings.starts} creates over HTTP, beside bare workflow starts (${settings.startConcurrency} at a time)`,
    );
    const startUser = await signedIn(createsOnlyApi.origin, 1_000_000);
    const starts = await measureStartRate({
      browser: createTrpcBrowser(startUser),
      client,
      imageAssetId: startUser.imageAssetId,
      clip,
      count: settings.starts,
      concurrency: settings.startConcurrency,
    });

    log(
      `hot user: ${settings.reservations} reserve/settle cycles on one balance (${settings.reservationConcurrency} at a time)`,
    );
    const hotUser = await signedIn(api.origin, 0);
    const hot = await measureHotUserReservations({
      db,
      userId: hotUser.userId,
      imageAssetId: hotUser.imageAssetId,
      count: settings.reservations,
      concurrency: settings.reservationConcurrency,
    });

    log(`status stream: ${settings.streams} open streams, ${settings.ticks} progress ticks`);
    const sseUser = await signedIn(api.origin, 0);
    const sse = await measureSseFanout({
      api,
      db,
      userId: sseUser.userId,
      imageAssetId: sseUser.imageAssetId,
      streams: settings.streams,
      ticks: settings.ticks,
    });

    log(`worker memory: a fresh worker at rest, then ${settings.inFlight} generations at a slow provider`);
    const rss = await measureWorkerRss({
      services,
      db,
      client,
      blobStore,
      inFlight: settings.inFlight,
      holdMs: settings.holdMs,
      log,
    });

    const figures = {
      e2eOverRawFfmpeg: round(e2e.e2eOverRawFfmpeg, 2),
      overheadP50Ms: round(e2e.overheadP50Ms),
      overheadP95Ms: round(e2e.overheadP95Ms),
      startRateRatio: round(starts.startRateRatio, 3),
      hotUserReservationsPerSec: round(hot.reservationsPerSec),
      workerRssMbAt1000InFlight: round(rss.peakMbInFlight),
      workerRssMbIdle: round(rss.idleMb),
      sseFanoutEventsPerSec: round(sse.eventsPerSec),
      sseQueriesPerEvent: round(sse.queriesPerEvent, 2),
      machine: machineAtEnd(),
    };
    const clipLabel = `${clip.durationSeconds} s ${clip.resolution}`;
    const ms = (xs: number[]) => xs.map((x) => Math.round(x)).join(", ");
    say(
      `end to end (${clipLabel}): ${ms(e2e.endToEndMs)} ms; engine ${ms(e2e.engineMs)} ms; ffmpeg alone ${ms(e2e.rawFfmpegMs)} ms → ${figures.e2eOverRawFfmpeg}× (goal ≤ 1.10)`,
    );
    say(
      `overhead (end to end − engine): p50 ${figures.overheadP50Ms} ms, p95 ${figures.overheadP95Ms} ms (goal p50 ≤ 100 ms)`,
    );
    say(
      `starts: ${round(starts.createsPerSec)}/s through tRPC (p50 ${round(starts.createP50Ms)} ms) vs ${round(starts.bareStartsPerSec)}/s bare (p50 ${round(starts.bareStartP50Ms)} ms) → ${figures.startRateRatio} (goal ≥ 0.5)`,
    );
    say(
      `one user's balance: ${figures.hotUserReservationsPerSec} reservations/s settled, ${hot.refusedForCredits} refused for credits, lowest balance ${hot.lowestBalanceSeen} (goal ≥ 1000/s, never < 0)`,
    );
    say(
      `worker RSS: ${figures.workerRssMbIdle} MB idle, ${figures.workerRssMbAt1000InFlight} MB peak with ${rss.atProvider} at the provider (goal ≤ 300 MB at 1000)`,
    );
    say(
      `status stream: ${figures.sseFanoutEventsPerSec} events/s to ${settings.streams} streams; ${figures.sseQueriesPerEvent} queries per tick (${round(sse.queriesPerEventOneStream, 2)} with one stream; goal: the same)`,
    );
    say(
      `machine: ${figures.machine.cores} cores, load ${figures.machine.loadAvgStart.join(" ")} at start, ${figures.machine.loadAvgEnd.join(" ")} at end`,
    );
    say(JSON.stringify(figures));
  } finally {
    await createsOnlyApi.stop();
    await api.stop();
  }
} finally {
  await services.stop();
}
