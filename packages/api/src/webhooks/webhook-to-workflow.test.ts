// A provider's signed callback, through our webhook handler, wakes the generation's workflow:
// with polling slowed to once a minute, only the webhook can finish the job in seconds.
// Duplicate deliveries are applied once; a forged one is refused.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerViolations } from "@animateimg/billing/testing";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createDbAssetLookup, createGeneration, getGeneration } from "@animateimg/generations";
import { waitFor } from "@animateimg/local-services";
import { ensureFakeVideo, startFakeProviders, type FakeProviders } from "@animateimg/provider-fakes";
import { createProviderRegistry, providerWebhookUrl, type ProviderRegistry } from "@animateimg/providers";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";
import { createTestBlobStore, startTestWorker, type TestWorker } from "@animateimg/workflows/testing";
import { createFundedUser, createPhotoAsset } from "@animateimg/workflows/testing/generation-fixtures";
import { createProviderWebhookHttpHandler } from "./provider-webhook-http-handler";

let database: TestDatabase;
let fakes: FakeProviders;
let worker: TestWorker;
let registry: ProviderRegistry;
let server: Server;
let webhookBase = "";
const handled: Array<{ status: number; duplicate: boolean }> = [];
const blobStore = createTestBlobStore();

beforeAll(async () => {
  database = await createTestDatabase();
  fakes = await startFakeProviders({ videoPath: await ensureFakeVideo() });
  const c = fakes.credentials;
  registry = createProviderRegistry({
    replicate: {
      baseUrl: fakes.baseUrls.replicate,
      apiToken: c.replicate.apiToken,
      webhookSecret: c.replicate.webhookSecret,
    },
  });
  // Our webhook route, as apps/web mounts it, on a port of its own.
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const provider = (req.url ?? "").split("/").pop() ?? "";
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      void handle(request, provider).then(async (response) => {
        const text = await response.text();
        handled.push({ status: response.status, duplicate: text.includes('"duplicate":true') });
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(text);
      });
    });
  });
  const handle = createProviderWebhookHttpHandler({
    getDb: () => database.db,
    getOrchestrator: () => createOrchestrator({ client: worker.client, taskQueue: worker.taskQueue }),
    getRegistry: () => registry,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  webhookBase = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  worker = await startTestWorker({
    db: database.db,
    deps: {
      blobStore,
      providers: registry,
      mediaUrlFor: () => fakes.mediaUrl("photo.png"),
      webhookUrlFor: (provider) => providerWebhookUrl(webhookBase, provider),
    },
  });
});
afterAll(async () => {
  expect(await ledgerViolations(database.db)).toEqual([]);
  await worker?.shutdown();
  await fakes?.stop();
  await new Promise((resolve) => server?.close(resolve));
  await database?.drop();
});

describe("provider webhooks drive the workflow", () => {
  it("finishes on the signed callback long before the next poll, applying duplicates once", async () => {
    // Never finished by polling; finished (with webhooks) 1 s after submit; each webhook sent twice.
    fakes.control.setLifecycle("replicate", { queuedPolls: 1000, pollsToComplete: 100_000, completeAfterMs: 1000 });
    fakes.control.injectFault("replicate", { kind: "duplicate_webhook" });
    const userId = await createFundedUser(database.db, 1000);
    const imageAssetId = await createPhotoAsset(database.db, blobStore, userId);
    const orchestrator = createOrchestrator({
      client: worker.client,
      taskQueue: worker.taskQueue,
      timeouts: { providerPollIntervalMs: 60_000 },
    }).generations;
    const { generation } = await createGeneration(
      database.db,
      {
        userId,
        modelId: "kling-3",
        prompt: "wave",
        params: { durationSeconds: 5 },
        imageAssetId,
        private: true,
        idempotencyKey: randomUUID(),
      },
      { orchestrator, findOwnedAssets: createDbAssetLookup(database.db) },
    );
    const done = await waitFor(
      "the webhook to finish it",
      async () => {
        const g = await getGeneration(database.db, { userId, generationId: generation.id });
        return g.status === "succeeded" || g.status === "failed" ? g : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(done.status).toBe("succeeded");
    expect(done.attempts.map((a) => a.provider)).toEqual(["replicate"]);
    const terminal = fakes.deliveries.filter((d) => d.provider === "replicate" && d.body.includes('"succeeded"'));
    expect(terminal.length).toBeGreaterThanOrEqual(2); // duplicated by the fault
    // Every delivery arrived twice; each was acted on once (one row), the copy answered "duplicate".
    const deliveries = fakes.deliveries.filter((d) => d.provider === "replicate");
    const events = await database.db
      .selectFrom("provider_webhook_events")
      .selectAll()
      .where("provider", "=", "replicate")
      .execute();
    await waitFor("every delivery to be handled", () =>
      Promise.resolve(handled.length >= deliveries.length ? true : undefined),
    );
    expect(events.length).toBe(new Set(deliveries.map((d) => d.headers["webhook-id"])).size);
    expect(events.length).toBeLessThan(deliveries.length);
    expect(handled.filter((h) => h.duplicate)).toHaveLength(deliveries.length - events.length);
    expect(handled.filter((h) => h.status >= 400)).toEqual([]);
  });

  it("refuses a forged callback", async () => {
    const body = JSON.stringify({ id: "p_forged", status: "succeeded", output: "http://evil.example/x.mp4" });
    const headers = fakes.sign.replicate("p_forged", body, Math.floor(Date.now() / 1000));
    const response = await fetch(providerWebhookUrl(webhookBase, "replicate"), {
      method: "POST",
      headers: {
        ...headers,
        "webhook-signature": "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "content-type": "application/json",
      },
      body,
    });
    expect(response.status).toBe(401);
  });
});
