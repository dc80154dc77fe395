// `npm start`: brings the whole app up on this machine and keeps it in the foreground.
// Each embedded default is chosen here and announced in one line; Ctrl-C stops every child.
//
// Two modes (issue 19). `npm start` serves a production build of the web app (`next build`,
// made once and again only when a source changed) and runs the worker on the prebuilt workflow
// bundle (likewise), so every page answers at once instead of compiling on its first visit.
// `pnpm dev` (`--dev`) runs `next dev` with hot reload and bundles workflows from source. Each
// mode has its own Next build folder, so neither clobbers the other's.
import path from "node:path";
import {
  createSession,
  ensureAdminUser,
  ensureDemoUser,
  invalidateSession,
  SESSION_COOKIE_NAME,
} from "@animateimg/auth";
import { createDb, migrateToLatest } from "@animateimg/db";
import {
  ensureDatabase,
  findTemporalCli,
  freePort,
  isPortOpen,
  redact,
  resolvePostgres,
  startProcess,
  startTemporalDevServer,
  stopAllStartedProcesses,
  waitFor,
  type ManagedProcess,
} from "@animateimg/local-services";
import { customSearchAttributes } from "@animateimg/workflows/search-attributes";
import { startDemoPayments } from "./demo-payments";
import { loadEveryPageOnce } from "./app-pages";
import { startDemoProviders } from "./demo-providers";
import { resolveDevPayloadKeys } from "./dev-payload-keys";
import { resolveDevStorage } from "./dev-storage";
import { env, repoRoot } from "./env";
import { buildWebIfChanged } from "./web-build";
import { buildWorkflowBundleIfChanged } from "./worker-bundle-build";

const log = (line: string) => console.log(line);
const cleanups: Array<() => Promise<void>> = [];
let stopping: Promise<void> | undefined;

/**
 * Stops everything once, however many signals arrive: a terminal's Ctrl-C reaches every
 * process of the foreground group, and the bootstrap and the tsx CLI each relay one more, so
 * a second or third SIGINT must wait for the same shutdown instead of exiting mid-way and
 * leaving children (Temporal, the worker) running.
 */
function shutdown(code: number, reason: string): Promise<never> {
  stopping ??= (async () => {
    log(`\n${reason}; stopping…`);
    // Reverse start order: web and worker first, then Temporal, then Postgres.
    while (cleanups.length > 0) {
      const cleanup = cleanups.pop()!;
      await cleanup().catch((error: unknown) => log(`  (while stopping: ${String(error)})`));
    }
    // Anything whose start-up was still being awaited (not registered yet) is stopped too.
    await stopAllStartedProcesses();
    log("stopped.");
    process.exit(code);
  })();
  return stopping as Promise<never>;
}
process.on("SIGINT", () => void shutdown(0, "Ctrl-C"));
process.on("SIGTERM", () => void shutdown(0, "SIGTERM"));
process.on("SIGHUP", () => void shutdown(0, "SIGHUP"));

/** Registers how to stop something just started; when a stop is already under way, stops it now. */
function onStop(cleanup: () => Promise<void>) {
  if (stopping) void cleanup().catch(() => {});
  else cleanups.push(cleanup);
}

/**
 * The preferred port when nothing listens there, else one the OS hands out. A fallback never
 * lands on a port this run already promised to something else (the web port is bound last, so
 * the OS would happily hand it out again: CI once saw Temporal's UI take the web's port).
 */
async function pickPort(preferred: number, reserved: number[]): Promise<number> {
  if (!(await isPortOpen("127.0.0.1", preferred))) return preferred;
  for (;;) {
    const port = await freePort();
    if (!reserved.includes(port)) return port;
  }
}

function supervise(child: ManagedProcess) {
  onStop(() => child.stop());
  void child.exited.then((code) => {
    if (!stopping) void shutdown(1, `${child.name} exited unexpectedly (${code})`);
  });
}

const hotReload = process.argv.includes("--dev");
// NEXT_DIST_DIR (a test's own folder) wins; else one folder per mode.
const distDir = env.NEXT_DIST_DIR ?? (hotReload ? ".next-dev" : ".next");

/** The production build and the workflow bundle, each skipped when its sources are unchanged. */
async function buildForProduction(): Promise<{ bundlePath: string }> {
  const [web, worker] = await Promise.all([
    buildWebIfChanged({ distDir, log }),
    buildWorkflowBundleIfChanged({
      ...(env.WORKFLOW_BUNDLE_PATH ? { bundlePath: path.resolve(env.WORKFLOW_BUNDLE_PATH) } : {}),
      log,
    }),
  ]);
  log(
    web.built
      ? `web: production build ready in apps/web/${distDir} (${web.seconds.toFixed(1)} s; rebuilt only when a source changes)`
      : `web: production build in apps/web/${distDir} is current (sources checked in ${web.seconds.toFixed(1)} s)`,
  );
  return { bundlePath: worker.bundlePath };
}

let demoUserId: string | undefined;
try {
  if (hotReload) log(`web: next dev with hot reload (apps/web/${distDir}); each page compiles on its first visit`);
  // Built while the services below start; awaited before the worker and the web app start.
  const builds = hotReload ? undefined : buildForProduction();
  // A failure is reported where it is awaited; one after a shutdown began matters to nobody.
  builds?.catch(() => {});

  // 1. Postgres, the database, migrations, the demo account.
  const postgres = await resolvePostgres({ databaseUrl: env.DATABASE_URL, dataDir: env.ANIMATEIMG_DATA_DIR, log });
  onStop(() => postgres.stop());
  const databaseUrl = env.DATABASE_URL ?? (await ensureDatabase(postgres.serverUrl, env.DATABASE_NAME));
  const db = createDb({ url: databaseUrl, maxConnections: 2 });
  try {
    const applied = await migrateToLatest(db);
    log(`postgres: database ${redact(databaseUrl)} (${applied.length} migration(s) applied now)`);
    demoUserId = (
      await ensureDemoUser(db, { email: env.DEMO_USER_EMAIL, password: env.DEMO_USER_PASSWORD, name: "Demo User" })
    ).id;
    if (env.ADMIN_EMAIL && env.ADMIN_PASSWORD) {
      await ensureAdminUser(db, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD, name: "Administrator" });
      log(`accounts: administrator ${env.ADMIN_EMAIL} ready`);
    }
  } finally {
    await db.destroy();
  }

  // 2. Temporal.
  const webPort = env.WEB_PORT;
  const appUrl = env.APP_URL ?? `http://localhost:${webPort}`;
  const payloadKeys = resolveDevPayloadKeys(env.TEMPORAL_PAYLOAD_KEYS, env.ANIMATEIMG_DATA_DIR);
  let temporalAddress = env.TEMPORAL_ADDRESS;
  let temporalUi: string | undefined;
  if (temporalAddress) {
    log(`temporal: using TEMPORAL_ADDRESS ${temporalAddress}`);
  } else {
    const cliPath = await findTemporalCli({ cliPath: env.TEMPORAL_CLI_PATH, dataDir: env.ANIMATEIMG_DATA_DIR, log });
    const temporalPort = await pickPort(env.TEMPORAL_DEV_PORT, [webPort, env.TEMPORAL_UI_PORT]);
    const uiPort = await pickPort(env.TEMPORAL_UI_PORT, [webPort, env.TEMPORAL_DEV_PORT, temporalPort]);
    const server = await startTemporalDevServer({
      cliPath,
      dbFile: path.join(env.ANIMATEIMG_DATA_DIR, "temporal", "dev.sqlite"),
      port: temporalPort,
      uiPort,
      // The UI shows decrypted payloads to administrators signed in to the app (codec endpoint).
      uiCodecEndpoint: `${appUrl}/api/temporal-codec`,
      quiet: true,
      searchAttributes: customSearchAttributes,
    });
    onStop(() => server.stop());
    temporalAddress = server.address;
    temporalUi = server.uiUrl;
    log(`temporal: dev server on ${server.address} (SQLite in WAL mode; UI at ${server.uiUrl ?? "off"})`);
  }
  log(payloadKeys.description);

  const storage = resolveDevStorage(env, env.ANIMATEIMG_DATA_DIR);
  log(storage.description);
  let providerEnv: Record<string, string> = {};
  if (process.argv.includes("--demo-providers")) {
    const demo = await startDemoProviders({ webUrl: `http://127.0.0.1:${webPort}`, log });
    onStop(() => demo.stop());
    providerEnv = demo.env;
  }

  // Payments: the processor's own keys when set, else its local fake (checkout page included),
  // so a newcomer can buy credits end to end offline.
  let paymentEnv: Record<string, string> = {};
  const paymentKeySet =
    env.PAYMENTS_PROVIDER === "stripe" ? Boolean(env.STRIPE_SECRET_KEY) : Boolean(env.CREEM_API_KEY);
  if (paymentKeySet) {
    log(`payments: ${env.PAYMENTS_PROVIDER} with the configured keys`);
  } else {
    const demo = await startDemoPayments({
      provider: env.PAYMENTS_PROVIDER,
      webUrl: `http://127.0.0.1:${webPort}`,
      paymentOffers: process.env.PAYMENT_OFFERS,
      log,
    });
    cleanups.push(() => demo.stop());
    paymentEnv = demo.env;
  }

  const childEnv = {
    ...process.env,
    ...storage.env,
    ...providerEnv,
    ...paymentEnv,
    // One readable line per log record in a terminal; LOG_FORMAT=json shows what production writes.
    LOG_FORMAT: process.env.LOG_FORMAT ?? "pretty",
    APP_URL: appUrl,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE,
    TEMPORAL_TASK_QUEUE: env.TEMPORAL_TASK_QUEUE,
    TEMPORAL_PAYLOAD_KEYS: payloadKeys.value,
    // The UI as printed (127.0.0.1) and as localhost: only the latter is the app's site, so only
    // there does the browser send the administrator's session to the codec endpoint.
    ...(temporalUi
      ? {
          TEMPORAL_UI_ORIGIN: [
            new URL(temporalUi).origin,
            new URL(temporalUi).origin.replace("127.0.0.1", "localhost"),
          ].join(","),
        }
      : {}),
  };

  // 3. Worker and web.
  const built = await builds;
  const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");
  // Production mode: the prebuilt bundle (the worker otherwise bundles from source at every start).
  const workerEnv = built ? { ...childEnv, WORKFLOW_BUNDLE_PATH: built.bundlePath } : childEnv;
  supervise(startProcess("worker", tsx, ["src/main.ts"], { cwd: path.join(repoRoot, "apps/worker"), env: workerEnv }));
  if (await isPortOpen("127.0.0.1", webPort))
    throw new Error(`port ${webPort} is in use; set WEB_PORT to another port`);
  // apps/web/server.mjs: Next's handler behind a server that records each request's peer address.
  // The production build runs as production (Next's runtime, strict CSP); LOCAL_INSTANCE keeps what
  // a person on this machine needs without SMTP or https: the outbox, a cookie over plain http.
  const webEnv = { ...childEnv, NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: distDir };
  const localAppUrl = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/.test(appUrl);
  supervise(
    startProcess(
      "web",
      process.execPath,
      ["server.mjs", ...(hotReload ? ["--dev"] : []), "--port", String(webPort), "--hostname", "127.0.0.1"],
      {
        cwd: path.join(repoRoot, "apps/web"),
        env: hotReload
          ? webEnv
          : { ...webEnv, NODE_ENV: "production", ...(localAppUrl ? { LOCAL_INSTANCE: "1" } : {}) },
      },
    ),
  );

  // 4. Ready when the app itself says every part is healthy.
  const url = `http://localhost:${webPort}`;
  await waitFor(
    "the web app to report every part healthy",
    async () => {
      const response = await fetch(`${url}/api/trpc/system.health`);
      const body = (await response.json()) as { result?: { data?: { json?: { status?: string } } } };
      return body.result?.data?.json?.status === "healthy" ? true : undefined;
    },
    { timeoutMs: 180_000, intervalMs: 250 },
  );
  if (!hotReload && demoUserId) {
    // A production server loads each page's code on its first request (the first page also
    // warms React and the database pool): done here, so no visitor's first visit pays for it.
    // Signed-in pages are asked for as the demo user, through a session made for this and
    // removed after (a sign-in would also send a new-device email).
    const started = Date.now();
    const warmDb = createDb({ url: databaseUrl, maxConnections: 1 });
    const session = await createSession(warmDb, { userId: demoUserId, userAgent: "npm start (loads every page once)" });
    let count: number;
    try {
      count = await loadEveryPageOnce(`http://127.0.0.1:${webPort}`, `${SESSION_COOKIE_NAME}=${session.token}`);
    } finally {
      await invalidateSession(warmDb, { sessionId: session.id });
      await warmDb.destroy();
    }
    log(
      `web: ${count} pages loaded once (${((Date.now() - started) / 1000).toFixed(1)} s), so every first visit is quick`,
    );
  }
  log("");
  log(`AnimateImg is up at ${url}`);
  log(`  demo account: ${env.DEMO_USER_EMAIL} / ${env.DEMO_USER_PASSWORD}`);
  log(`  emails (no SMTP_URL): ${url}/dev/outbox — readable only from this machine, by anyone on it (any local user)`);
  if (temporalUi) log(`  Temporal UI:  ${temporalUi}`);
  log(
    hotReload
      ? "  mode: next dev, hot reload (`npm start` serves a production build instead)"
      : "  mode: production build (`pnpm dev` for hot reload)",
  );
  log("  Ctrl-C stops everything.");
} catch (error) {
  await shutdown(1, `start-up failed: ${error instanceof Error ? error.message : String(error)}`);
}
