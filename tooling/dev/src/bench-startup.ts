// `pnpm bench:startup [-- --reuse-build]`: what a newcomer waits for (issue 19). Runs `npm start`
// twice, as a person runs it, on its own database, Temporal data, ports and build folders:
//   cold — no web build, no workflow bundle, a new database and Temporal: everything from scratch
//          but the installs;
//   warm — the second start: build and bundle current, database migrated.
// Each is timed from the command to "AnimateImg is up" (the app reports every part healthy), and
// after each, every page of the app gets its first visit (bench/first-visits.ts). Plain lines say
// each figure beside its goal; the last line is one JSON object (field names are a contract).
// `--reuse-build` (its test) builds into the folder the tests share instead of a fresh one, so
// "cold" there may find a build: it proves every field is printed, it does not measure.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import {
  ensureDatabase,
  findTemporalCli,
  freePort,
  isPortOpen,
  resolvePostgres,
  withDatabase,
} from "@animateimg/local-services";
import { pagesOfTheApp } from "./app-pages";
import { measureFirstVisits, signIn, type FirstVisit } from "./bench/first-visits";
import { observeMachine } from "./bench/machine";
import { startNpmStart } from "./bench/npm-start";
import { repoRoot } from "./env";

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: { "reuse-build": { type: "boolean", default: false } },
  allowPositionals: true,
});
const reuseBuild = values["reuse-build"];
const log = (line: string) => process.stderr.write(`${line}\n`);
const say = (line: string) => process.stdout.write(`${line}\n`);
const GOAL_MS = 1000;

const machineAtEnd = observeMachine();
const sharedDataDir = process.env.ANIMATEIMG_DATA_DIR ?? path.join(repoRoot, ".data");
const scratch = mkdtempSync(path.join(tmpdir(), "animateimg-bench-startup-"));
// The build folders: fresh ones for a real cold start, else the ones the tests share (stamped).
const distDir = reuseBuild ? ".next-tests" : `.next-bench-startup-${process.pid}`;
const bundlePath = reuseBuild ? undefined : path.join(scratch, "workflow-bundle.js");
const postgres = await resolvePostgres({ databaseUrl: process.env.DATABASE_URL, dataDir: sharedDataDir, log });
const databaseName = `bench_startup_${process.pid}`;
const cleanups: Array<() => Promise<void>> = [];

try {
  const databaseUrl = await ensureDatabase(postgres.serverUrl, databaseName);
  cleanups.push(async () => {
    const admin = new pg.Client({ connectionString: withDatabase(postgres.serverUrl, "postgres") });
    await admin.connect();
    await admin.query(`drop database if exists "${databaseName}" with (force)`);
    await admin.end();
  });
  if (!reuseBuild)
    cleanups.push(() =>
      Promise.resolve(rmSync(path.join(repoRoot, "apps/web", distDir), { recursive: true, force: true })),
    );
  const [webPort, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  const origin = `http://127.0.0.1:${webPort}`;
  const demo = { email: "bench-demo@example.test", password: "bench-demo-pass" };
  const admin = { email: "bench-admin@example.test", password: "bench-admin-pass" };
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: "",
    TEMPORAL_CLI_PATH: await findTemporalCli({ cliPath: process.env.TEMPORAL_CLI_PATH, dataDir: sharedDataDir, log }),
    TEMPORAL_DEV_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    TEMPORAL_TASK_QUEUE: `bench-startup-${process.pid}`,
    // Its own Temporal SQLite file and storage keys: the cold start makes them.
    ANIMATEIMG_DATA_DIR: path.join(scratch, "data"),
    WEB_PORT: String(webPort),
    NEXT_DIST_DIR: distDir,
    ...(bundlePath ? { WORKFLOW_BUNDLE_PATH: bundlePath } : {}),
    DEMO_USER_EMAIL: demo.email,
    DEMO_USER_PASSWORD: demo.password,
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
  };
  const pages = pagesOfTheApp();

  const run = async (label: "cold" | "warm") => {
    log(`bench:startup: npm start (${label})…`);
    const outputFile = path.join(tmpdir(), `animateimg-bench-startup-${process.pid}-${label}.log`);
    const app = await startNpmStart({ env, outputFile });
    let visits: FirstVisit[];
    try {
      const cookies = {
        demo: await signIn(origin, demo.email, demo.password),
        admin: await signIn(origin, admin.email, admin.password),
      };
      visits = await measureFirstVisits({ origin, pages, cookies });
    } finally {
      await app.stop();
    }
    // Nothing may be left listening: the next start needs these ports.
    for (const port of [webPort, temporalPort, uiPort])
      if (await isPortOpen("127.0.0.1", port))
        throw new Error(`port ${port} still open after npm start stopped (its output: ${outputFile})`);
    log(`bench:startup: npm start (${label}) printed ${outputFile}`);
    const built = /^web: production build ready in \S+ \(([\d.]+) s/m.exec(app.output());
    return { seconds: app.seconds, webBuildSeconds: built ? Number(built[1]) : null, visits };
  };
  const cold = await run("cold");
  const warm = await run("warm");

  const byRoute = (visits: FirstVisit[]) => Object.fromEntries(visits.map((visit) => [visit.route, visit.totalMs]));
  const slowest = (visits: FirstVisit[]) => Math.max(...visits.map((visit) => visit.totalMs));
  const over = [
    ...cold.visits.map((v) => ({ ...v, run: "cold" })),
    ...warm.visits.map((v) => ({ ...v, run: "warm" })),
  ].filter((visit) => visit.totalMs >= GOAL_MS);
  const describe = (visit: FirstVisit) =>
    `${visit.route.padEnd(22)} ${String(visit.totalMs).padStart(5)} ms (${visit.as}, ${visit.status}${visit.location ? ` → ${visit.location}` : ""}; document ${visit.documentMs} ms + ${visit.assets} new asset(s) ${visit.assetsMs} ms; second visit ${visit.secondVisitMs} ms)`;

  const machine = machineAtEnd();
  say(
    `npm start, cold (no build, no bundle, new database and Temporal): ${cold.seconds.toFixed(1)} s to healthy${cold.webBuildSeconds === null ? " (a current build was found: --reuse-build)" : ` (next build ${cold.webBuildSeconds.toFixed(1)} s of it)`}`,
  );
  say(`npm start, warm (build and bundle current): ${warm.seconds.toFixed(1)} s to healthy`);
  for (const [label, result] of [
    ["cold", cold],
    ["warm", warm],
  ] as const) {
    say(`first visit of every page after the ${label} start (goal < ${GOAL_MS} ms each):`);
    for (const visit of result.visits) say(`  ${describe(visit)}`);
  }
  say(
    over.length === 0
      ? `every first visit under ${GOAL_MS} ms: met`
      : `first visits at or over ${GOAL_MS} ms: ${over.map((v) => `${v.route} (${v.run}) ${v.totalMs} ms`).join(", ")}`,
  );
  say(
    `machine: ${machine.cores} cores, load ${machine.loadAvgStart.join(" ")} at start, ${machine.loadAvgEnd.join(" ")} at end`,
  );
  say(
    JSON.stringify({
      coldStartSeconds: Math.round(cold.seconds * 10) / 10,
      coldWebBuildSeconds: cold.webBuildSeconds,
      warmStartSeconds: Math.round(warm.seconds * 10) / 10,
      firstVisitMs: byRoute(warm.visits),
      firstVisitMaxMs: slowest(warm.visits),
      coldFirstVisitMs: byRoute(cold.visits),
      coldFirstVisitMaxMs: slowest(cold.visits),
      secondVisitMs: Object.fromEntries(warm.visits.map((visit) => [visit.route, visit.secondVisitMs])),
      pagesAtOrOver1s: over.map((visit) => `${visit.run} ${visit.route}`),
      machine,
    }),
  );
} finally {
  for (const cleanup of cleanups.reverse())
    await cleanup().catch((error: unknown) => log(`(cleanup: ${String(error)})`));
  await postgres.stop();
  rmSync(scratch, { recursive: true, force: true });
}
