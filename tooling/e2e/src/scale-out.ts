// Scale-out on one machine, the way a deployment runs (README "Production"): two production web
// processes (A and B, one `next build`), a workflow-hosting worker, two render-only workers and
// a provider-only worker (prebuilt bundle, NODE_ENV=production), all on one Temporal server, one
// Postgres database and one S3-compatible store (moto), with the provider fakes upstream.
// Generations are created through web B's REST API while a browser signed in on web A watches
// the activity page (no reload); one render worker is SIGKILLed mid-burst; then the books,
// the store and Temporal are audited. Used by `pnpm scaleout` (bigger burst) and by
// scale-out.test.ts (short form in `npm test`).
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client, Connection, WorkflowNotFoundError } from "@temporalio/client";
import pg from "pg";
import type { Page } from "playwright-core";
import { createApiKey, ensureDemoUser } from "@animateimg/auth";
import { grantCredits } from "@animateimg/billing";
import { ledgerViolations } from "@animateimg/billing/testing";
import { createDb, migrateToLatest, type Db } from "@animateimg/db";
import {
  ensureDatabase,
  findS3Server,
  findTemporalCli,
  freePort,
  runCommand,
  startProcess,
  startS3Server,
  startTemporalDevServer,
  waitFor,
  withDatabase,
  type ManagedProcess,
} from "@animateimg/local-services";
import { ensureFakeVideo, startFakeProviders } from "@animateimg/provider-fakes";
import { createS3Store } from "@animateimg/storage";
import { generationWorkflowId } from "@animateimg/workflows/workflow-ids";
import { testPayloadKeys } from "@animateimg/workflows/testing";
import { testPhoto } from "@animateimg/workflows/testing/generation-fixtures";
import { bundleWorkflows } from "@animateimg/workflows/worker";
import { dataConverterFor } from "@animateimg/workflows/payload-codec";
import { repoRoot } from "./app-under-test";
import { launchChromium } from "./browser";
import { startSmtpSink } from "./smtp-sink";

export interface ScaleOutOptions {
  /** Admin URL of a Postgres server to make the run's database on. */
  postgresServerUrl: string;
  /** A Temporal server to use (the test run's); unset: a dev server of the run's own. */
  temporalAddress?: string;
  /** A prebuilt workflow bundle (the test run's); unset: bundled here. */
  bundlePath?: string;
  /** Generations on the Animate engine (render workers) and on Kling 3.0 via Kie (provider worker). */
  renders: number;
  providerJobs: number;
  log: (line: string) => void;
}

export interface ScaleOutReport {
  created: number;
  succeeded: number;
  failed: number;
  stuck: number;
  /** Generations web A's page showed in a non-final state before it showed them succeeded (no reload). */
  seenLiveOnWebA: number;
  /** Generations web A's page shows as succeeded at the end. */
  succeededOnWebA: number;
  killedWorker: string;
  /** Renders that were in flight on the killed worker when it died (retried elsewhere). */
  rendersInFlightAtKill: number;
  violations: string[];
  seconds: number;
}

const payloadKeysEnv = [...testPayloadKeys.keys]
  .map(([id, key]) => `${id}:${Buffer.from(key).toString("base64")}`)
  .join(",");

export async function runScaleOut(options: ScaleOutOptions): Promise<ScaleOutReport> {
  const { log } = options;
  const started = Date.now();
  const cleanups: Array<() => Promise<unknown>> = [];
  const scratch = mkdtempSync(path.join(tmpdir(), "animateimg-scaleout-"));
  cleanups.push(() => Promise.resolve(rmSync(scratch, { recursive: true, force: true })));
  const dataDir = process.env.ANIMATEIMG_DATA_DIR ?? path.join(repoRoot, ".data");
  try {
    // --- shared services -----------------------------------------------------------------------
    const dbName = `animateimg_scaleout_${process.pid}_${randomBytes(3).toString("hex")}`;
    const databaseUrl = await ensureDatabase(options.postgresServerUrl, dbName);
    cleanups.push(async () => {
      const admin = new pg.Client({ connectionString: withDatabase(options.postgresServerUrl, "postgres") });
      await admin.connect();
      await admin.query(`drop database if exists "${dbName}" with (force)`).finally(() => admin.end());
    });
    const db = createDb({ url: databaseUrl, maxConnections: 4 });
    cleanups.push(() => db.destroy());
    // What `pnpm migrate` runs, once, before any process starts.
    await migrateToLatest(db);

    let temporalAddress = options.temporalAddress;
    if (!temporalAddress) {
      const cliPath = await findTemporalCli({ cliPath: process.env.TEMPORAL_CLI_PATH, dataDir, log });
      const temporal = await startTemporalDevServer({
        cliPath,
        dbFile: path.join(scratch, "temporal.db"),
        quiet: true,
      });
      cleanups.push(() => temporal.stop());
      temporalAddress = temporal.address;
    }
    const s3 = await startS3Server({ cliPath: await findS3Server({ dataDir, log }) });
    cleanups.push(() => s3.stop());
    const bucket = `animateimg-scaleout-${randomBytes(3).toString("hex")}`;
    const s3Options = {
      bucket,
      region: s3.region,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    };
    const auditStore = createS3Store({ ...s3Options, serverSideEncryption: "AES256" });
    await createBucket(s3Options);
    const fakes = await startFakeProviders({
      videoPath: await ensureFakeVideo(),
      lifecycle: { queuedPolls: 1, pollsToComplete: 4 },
    });
    cleanups.push(() => fakes.stop());
    // Production web processes need SMTP (sign-in sends a new-device notice).
    const smtp = await startSmtpSink();
    cleanups.push(() => smtp.close());

    // --- builds (once per release) --------------------------------------------------------------
    // The production build every test shares (tooling/dev/src/dev.test.ts says why).
    const distDir = ".next-tests";
    log("scale-out: pnpm build:web (skipped when unchanged) and the workflow bundle");
    const [, bundlePath] = await Promise.all([
      runCommand(path.join(repoRoot, "node_modules/.bin/tsx"), ["tooling/dev/src/build-web.ts"], {
        cwd: repoRoot,
        env: { ...process.env, NEXT_DIST_DIR: distDir },
      }),
      options.bundlePath
        ? Promise.resolve(options.bundlePath)
        : bundleWorkflows().then((bundle) => {
            const file = path.join(scratch, "workflow-bundle.js");
            writeFileSync(file, bundle.code);
            return file;
          }),
    ]);

    // --- processes -------------------------------------------------------------------------------
    const [portA, portB] = [await freePort(), await freePort()];
    // The browser uses localhost: production cookies are Secure, which a browser accepts over
    // plain HTTP only from localhost.
    const webA = `http://localhost:${portA}`;
    const webB = `http://127.0.0.1:${portB}`;
    const taskQueue = `scaleout-${randomBytes(4).toString("hex")}`;
    const shared: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      TEMPORAL_PAYLOAD_KEYS: payloadKeysEnv,
      S3_BUCKET: bucket,
      S3_REGION: s3.region,
      S3_ENDPOINT: s3.endpoint,
      S3_FORCE_PATH_STYLE: "true",
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      // Every process signs and verifies the same blob URLs.
      BLOB_URL_SECRET: randomBytes(24).toString("hex"),
      APP_URL: webA,
      KIE_BASE_URL: fakes.baseUrls.kie,
      KIE_API_KEY: fakes.credentials.kie.apiKey,
      KIE_WEBHOOK_HMAC_KEY: fakes.credentials.kie.webhookHmacKey,
      PROVIDER_REQUEST_TIMEOUT_MS: "5000",
    };
    const processes: ManagedProcess[] = [];
    cleanups.push(() => Promise.all(processes.map((p) => p.stop(5000))));
    const outputs = new Map<string, string>();
    const start = (name: string, command: string, args: string[], cwd: string, env: Record<string, string>) => {
      outputs.set(name, "");
      const managed = startProcess(name, command, args, {
        cwd,
        env: { ...shared, ...env },
        log: (line) => outputs.set(name, `${outputs.get(name) ?? ""}${line}\n`),
      });
      processes.push(managed);
      return managed;
    };
    const webEnv = { NEXT_DIST_DIR: distDir, SMTP_URL: smtp.url, NEXT_TELEMETRY_DISABLED: "1" };
    const tsx = path.join(repoRoot, "node_modules/.bin/tsx");
    const workerDir = path.join(repoRoot, "apps/worker");
    const workerEnv = (roles: Record<string, string>) => ({
      WORKFLOW_BUNDLE_PATH: bundlePath,
      WORKER_SCRATCH_DIR: path.join(scratch, "worker-scratch"),
      ...roles,
    });
    start(
      "web-a",
      process.execPath,
      ["server.mjs", "--port", String(portA), "--hostname", "127.0.0.1"],
      path.join(repoRoot, "apps/web"),
      webEnv,
    );
    start(
      "web-b",
      process.execPath,
      ["server.mjs", "--port", String(portB), "--hostname", "127.0.0.1"],
      path.join(repoRoot, "apps/web"),
      webEnv,
    );
    start("worker-main", tsx, ["src/main.ts"], workerDir, workerEnv({ WORKER_ROLES: "main" }));
    const render1 = start(
      "worker-render-1",
      tsx,
      ["src/main.ts"],
      workerDir,
      workerEnv({ WORKER_ROLES: "render", WORKER_RENDER_SLOTS: "1" }),
    );
    start(
      "worker-render-2",
      tsx,
      ["src/main.ts"],
      workerDir,
      workerEnv({ WORKER_ROLES: "render", WORKER_RENDER_SLOTS: "1" }),
    );
    start("worker-kie", tsx, ["src/main.ts"], workerDir, workerEnv({ WORKER_PROVIDERS: "kie" }));
    await waitFor(
      "every web and worker process to start",
      () => {
        for (const p of processes)
          if (p.child.exitCode !== null) throw new Error(`${p.name} exited:\n${outputs.get(p.name)}`);
        const ready = processes.every((p) => /web: listening|worker: roles/.test(outputs.get(p.name) ?? ""));
        return Promise.resolve(ready ? true : undefined);
      },
      { timeoutMs: 180_000, intervalMs: 250 },
    );
    for (const p of processes)
      log(
        `scale-out: ${(outputs.get(p.name) ?? "").split("\n").find((line) => /web: listening|worker: roles/.test(line))}`,
      );

    // --- a person and a script --------------------------------------------------------------------
    const email = `scaleout-${randomBytes(3).toString("hex")}@example.test`;
    const password = "scale-out-password";
    const { id: userId } = await ensureDemoUser(db, { email, password, name: "Scale Out" });
    await grantCredits(db, {
      userId,
      amount: 10_000,
      kind: "grant",
      idempotencyKey: `scaleout:${userId}`,
      reason: "scale-out run",
    });
    const { token } = await createApiKey(db, {
      userId,
      name: "scale-out",
      scopes: ["read", "generate"],
      requestsPerMinute: 600,
    });

    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const page = await browser.newPage();
    await page.goto(`${webA}/sign-in`);
    await page.locator('input[name="email"]').fill(email);
    await page.locator('input[name="password"]').fill(password);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"), { timeout: 60_000 });
    // Hydrated and subscribed: the page's live-status stream is open before anything is created.
    const subscribed = page.waitForRequest((request) => request.url().includes("generation.onStatus"), {
      timeout: 60_000,
    });
    await page.goto(`${webA}/activity`);
    await subscribed;
    await recordStatusChanges(page);

    // --- the burst, through web B ----------------------------------------------------------------
    const api = async (pathname: string, init: RequestInit & { json?: unknown } = {}) => {
      const { json, ...rest } = init;
      const response = await fetch(`${webB}${pathname}`, {
        ...rest,
        headers: {
          authorization: `Bearer ${token}`,
          ...(json !== undefined ? { "content-type": "application/json" } : {}),
          ...rest.headers,
        },
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      });
      const body = (await response.json()) as Record<string, unknown>;
      if (!response.ok) throw new Error(`${pathname} on web B answered ${response.status}: ${JSON.stringify(body)}`);
      return body;
    };
    const upload = await api("/api/v1/uploads", {
      method: "POST",
      body: new Uint8Array(testPhoto()),
      headers: { "content-type": "image/jpeg", "x-file-name": "photo.jpg" },
    });
    const imageAssetId = upload.id as string;
    const requests = [
      ...Array.from({ length: options.renders }, () => ({
        modelId: "animate",
        params: { durationSeconds: 2, resolution: "480p", fps: 24, cameraMove: "zoom_in" },
      })),
      ...Array.from({ length: options.providerJobs }, () => ({
        modelId: "kling-3",
        params: { durationSeconds: 5, mode: "std" },
      })),
    ];
    const generationIds = await Promise.all(
      requests.map(async (request, index) => {
        const created = await api("/api/v1/generations", {
          method: "POST",
          headers: { "idempotency-key": randomUUID() },
          json: { ...request, imageAssetId, prompt: `scale-out ${index}` },
        });
        return created.id as string;
      }),
    );
    log(`scale-out: ${generationIds.length} generations created through web B`);

    // --- one render worker dies mid-burst -----------------------------------------------------------
    // Each render worker has one slot: with two renders open, each worker holds one.
    const inFlight = await waitFor(
      "a render in flight on each render worker",
      async () => {
        const running = await db
          .selectFrom("generation_attempts")
          .select("generation_id")
          .where("generation_id", "in", generationIds)
          .where("provider", "=", "local")
          .where("outcome", "=", "running")
          .execute();
        return running.length >= Math.min(2, options.renders) ? running.length : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    await killGroup(render1);
    log(`scale-out: SIGKILLed worker-render-1 with ${inFlight} render(s) open`);

    // --- everything ends ------------------------------------------------------------------------------
    await waitFor(
      "every generation to end",
      async () => {
        const open = await db
          .selectFrom("generations")
          .select("id")
          .where("id", "in", generationIds)
          .where("status", "in", ["queued", "running"])
          .execute();
        return open.length === 0 ? true : undefined;
      },
      { timeoutMs: 300_000, intervalMs: 500 },
    ).catch(() => undefined);

    // Web A's page, never reloaded, shows them all finished. Activity shows 12 cards a page and
    // loads more as one scrolls (a burst bigger than that is below the fold), so the check
    // scrolls to the end as a person would while it waits.
    await page
      .waitForFunction(
        (ids) => {
          window.scrollTo(0, document.documentElement.scrollHeight);
          return ids.every(
            (id) => document.querySelector(`[data-generation-id="${id}"]`)?.getAttribute("data-status") === "succeeded",
          );
        },
        generationIds,
        { timeout: 60_000, polling: 250 },
      )
      .catch(() => undefined);
    const seen = await page.evaluate(
      () => (window as unknown as { __scaleoutSeen: Record<string, string[]> }).__scaleoutSeen,
    );
    const finalOnPage = await page.evaluate(
      (ids) =>
        ids.map(
          (id) => document.querySelector(`[data-generation-id="${id}"]`)?.getAttribute("data-status") ?? "absent",
        ),
      generationIds,
    );

    const report = await audit({ db, store: auditStore, temporalAddress, generationIds });
    return {
      ...report,
      created: generationIds.length,
      seenLiveOnWebA: generationIds.filter((id) =>
        (seen[id] ?? []).some((status) => status === "queued" || status === "running"),
      ).length,
      succeededOnWebA: finalOnPage.filter((status) => status === "succeeded").length,
      killedWorker: "worker-render-1",
      rendersInFlightAtKill: inFlight,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((error: unknown) => log(`scale-out: while cleaning up: ${String(error)}`));
  }
}

async function createBucket(options: {
  bucket: string;
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}) {
  const { CreateBucketCommand, S3Client } = await import("@aws-sdk/client-s3");
  const client = new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: true,
    credentials: options.credentials,
  });
  try {
    await client.send(new CreateBucketCommand({ Bucket: options.bucket }));
  } finally {
    client.destroy();
  }
}

function killGroup(managed: ManagedProcess): Promise<unknown> {
  if (managed.child.pid !== undefined) process.kill(-managed.child.pid, "SIGKILL");
  return managed.exited;
}

/** Records, in the page, every status each generation card shows (cards added later included). */
async function recordStatusChanges(page: Page): Promise<void> {
  // Sent as source text: `pnpm scaleout` runs under tsx, whose transpiler wraps named inner
  // functions in a __name helper that does not exist in the page (vitest's does not).
  await page.evaluate(recordStatusChangesInPage);
}

const recordStatusChangesInPage = String.raw`(() => {
  const seen = {};
  window.__scaleoutSeen = seen;
  const note = (element) => {
    const id = element.getAttribute("data-generation-id");
    const status = element.getAttribute("data-status");
    if (!id || !status) return;
    const list = (seen[id] ??= []);
    if (list[list.length - 1] !== status) list.push(status);
  };
  const scan = () => document.querySelectorAll("[data-generation-id][data-status]").forEach(note);
  new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-status"] });
  scan();
})()`;

async function audit({
  db,
  store,
  temporalAddress,
  generationIds,
}: {
  db: Db;
  store: ReturnType<typeof createS3Store>;
  temporalAddress: string;
  generationIds: string[];
}) {
  const violations: string[] = [];
  const rows = await db
    .selectFrom("generations")
    .select(["id", "status", "price_credits", "failure_reason", "output_video_key"])
    .where("id", "in", generationIds)
    .execute();
  const ledger = await db
    .selectFrom("credit_ledger")
    .select(["generation_id", "kind", "amount"])
    .where("generation_id", "in", generationIds)
    .execute();
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection, namespace: "default", ...dataConverterFor(testPayloadKeys) });
  let succeeded = 0;
  let failed = 0;
  let stuck = 0;
  try {
    for (const row of rows) {
      const entries = ledger.filter((entry) => entry.generation_id === row.id);
      const net = entries.reduce((sum, entry) => sum + entry.amount, 0);
      const captures = entries.filter((entry) => entry.kind === "capture").length;
      if (row.status === "queued" || row.status === "running") {
        stuck += 1;
        violations.push(`${row.id}: still ${row.status}`);
      } else if (row.status === "succeeded") {
        succeeded += 1;
        if (captures !== 1 || net !== -row.price_credits)
          violations.push(`${row.id}: charged ${-net} with ${captures} captures (price ${row.price_credits})`);
        if (!row.output_video_key || !(await store.exists(row.output_video_key)))
          violations.push(`${row.id}: succeeded but its video is not in the bucket`);
      } else {
        failed += 1;
        violations.push(`${row.id}: ${row.status} (${row.failure_reason ?? "no reason"})`);
        if (net !== 0) violations.push(`${row.id}: ${row.status} but the ledger nets ${net}`);
      }
      try {
        const description = await client.workflow.getHandle(generationWorkflowId(row.id)).describe();
        if (description.status.name !== "COMPLETED") violations.push(`${row.id}: workflow ${description.status.name}`);
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        violations.push(`${row.id}: no workflow`);
      }
    }
    if (rows.length !== generationIds.length)
      violations.push(`${generationIds.length - rows.length} generations missing from the database`);
    violations.push(...(await ledgerViolations(db)));
  } finally {
    await connection.close();
  }
  return { succeeded, failed, stuck, violations };
}
