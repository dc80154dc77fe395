// Submits whose answer was lost at a provider we cannot search by our own id (Kie): recorded as
// uncertain and never resent (the generation moves on), then settled by the reconciler. The
// provider's callback about a job no attempt names is what shows the job; the reconciler confirms
// it with the provider, records it on the uncertain attempt and stops it. Uncertain submits no
// job ever showed itself for are closed as unseen; a callback about a job the provider does not
// know changes nothing.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ledgerViolations } from "@animateimg/billing/testing";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import {
  createDbAssetLookup,
  createGeneration,
  getGeneration,
  recordUnclaimedProviderJob,
} from "@animateimg/generations";
import { waitFor } from "@animateimg/local-services";
import { ensureFakeVideo, startFakeProviders, type FakeProviders } from "@animateimg/provider-fakes";
import {
  createProviderRegistry,
  handleProviderWebhook,
  type ProviderRegistry,
  type RemoteProviderId,
} from "@animateimg/providers";
import { createUncertainJobActivities } from "../activities/uncertain-job-activities";
import { createOrchestrator } from "../orchestrator";
import { createTestBlobStore, startTestWorker, type TestWorker } from "../testing";
import { createFundedUser, createPhotoAsset } from "../testing/generation-fixtures";

let database: TestDatabase;
let fakes: FakeProviders;
let worker: TestWorker;
let registry: ProviderRegistry;
let receiver: Server;
let receiverOrigin: string;
const blobStore = createTestBlobStore();

/** Stands in for the web app's callback route: the real intake, with the attempts table behind it. */
function startCallbackRoute(): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const provider = (req.url ?? "").split("/").pop() as RemoteProviderId;
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(key, value);
      void handleProviderWebhook(
        {
          adapter: registry.get(provider)!,
          findGenerationId: async (p, providerJobId) =>
            (
              await database.db
                .selectFrom("generation_attempts")
                .select("generation_id")
                .where("provider", "=", p)
                .where("provider_job_id", "=", providerJobId)
                .executeTakeFirst()
            )?.generation_id,
          recordDelivery: () => Promise.resolve(true),
          forgetDelivery: () => Promise.resolve(),
          signalProviderUpdate: () => Promise.resolve(),
          recordUnclaimedJob: (event) => recordUnclaimedProviderJob(database.db, event),
        },
        { headers, rawBody: Buffer.concat(chunks).toString("utf8") },
      ).then((result) => res.writeHead(result.status).end());
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

beforeAll(async () => {
  database = await createTestDatabase();
  fakes = await startFakeProviders({ videoPath: await ensureFakeVideo() });
  const c = fakes.credentials;
  registry = createProviderRegistry({
    kie: { baseUrl: fakes.baseUrls.kie, apiKey: c.kie.apiKey, webhookHmacKey: c.kie.webhookHmacKey },
    kling: { baseUrl: fakes.baseUrls.kling, accessKey: c.kling.accessKey, secretKey: c.kling.secretKey },
    timeoutMs: 8000,
  });
  receiver = await startCallbackRoute();
  receiverOrigin = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  worker = await startTestWorker({
    db: database.db,
    deps: {
      blobStore,
      providers: registry,
      mediaUrlFor: () => fakes.mediaUrl("photo.png"),
      webhookUrlFor: (provider) => `${receiverOrigin}/api/webhooks/${provider}`,
    },
  });
});
afterEach(async () => {
  fakes.control.clearFaults();
  expect(await ledgerViolations(database.db)).toEqual([]);
});
afterAll(async () => {
  await worker?.shutdown();
  await fakes?.stop();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
  await database?.drop();
});

const timeouts = {
  providerPollIntervalMs: 50,
  providerAttemptTimeoutMs: 12_000,
  providerRetryInitialInterval: "100 milliseconds",
};

/** A Kling 3.0 generation whose Kie submit (the cheapest route) is created at Kie but answered 502. */
async function generateWithLostKieAnswer() {
  const userId = await createFundedUser(database.db, 500);
  const kieJobsBefore = fakes.control.jobs("kie").length;
  fakes.control.injectFault("kie", { kind: "lost_response", on: "submit", times: 1 });
  const imageAssetId = await createPhotoAsset(database.db, blobStore, userId);
  const orchestrator = createOrchestrator({ client: worker.client, taskQueue: worker.taskQueue, timeouts }).generations;
  const { generation } = await createGeneration(
    database.db,
    {
      userId,
      modelId: "kling-3",
      prompt: "she turns",
      params: { durationSeconds: 5, mode: "std" },
      imageAssetId,
      private: true,
      idempotencyKey: randomUUID(),
    },
    { orchestrator, findOwnedAssets: createDbAssetLookup(database.db) },
  );
  const done = await waitFor(
    "the generation to end",
    async () => {
      const g = await getGeneration(database.db, { userId, generationId: generation.id });
      return g.status === "succeeded" || g.status === "failed" ? g : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 100 },
  );
  // Kie cannot be searched by our id: the submit is uncertain, never resent; Kling makes the video.
  expect(done.status).toBe("succeeded");
  expect(done.attempts.map((a) => [a.provider, a.errorKind])).toEqual([
    ["kie", "submit_uncertain"],
    ["kling", null],
  ]);
  const lostJobs = fakes.control.jobs("kie").slice(kieJobsBefore);
  expect(lostJobs).toHaveLength(1);
  return { generationId: generation.id, lostJob: lostJobs[0]! };
}

const attemptAt = (generationId: string, provider: string) =>
  database.db
    .selectFrom("generation_attempts")
    .select(["provider_job_id", "job_uncertain", "uncertain_resolution"])
    .where("generation_id", "=", generationId)
    .where("provider", "=", provider)
    .executeTakeFirstOrThrow();

describe("uncertain submits at providers without lookup by our id", () => {
  it(
    "finds the job through the provider's callback, records it on the uncertain attempt, and settles it once",
    { timeout: 120_000 },
    async () => {
      const { generationId, lostJob } = await generateWithLostKieAnswer();
      const reconciler = createUncertainJobActivities({ db: database.db, providers: registry });
      // No callback yet: nothing to attach, and a day has not passed, so it stays open.
      expect(await reconciler.reconcileUncertainJobs()).toEqual({ attached: [], claimed: 0, notOurs: 0, unseen: {} });
      expect(await attemptAt(generationId, "kie")).toEqual({
        provider_job_id: null,
        job_uncertain: true,
        uncertain_resolution: null,
      });

      // Kie finishes the job and calls back about a task id none of our attempts names.
      fakes.control.completeJob("kie", lostJob.id);
      await waitFor("the callback to be kept as unclaimed", async () =>
        (await database.db
          .selectFrom("provider_unclaimed_jobs")
          .select("provider_job_id")
          .where("provider_job_id", "=", lostJob.id)
          .executeTakeFirst())
          ? true
          : undefined,
      );
      const result = await reconciler.reconcileUncertainJobs();
      expect(result.attached).toEqual([{ provider: "kie", providerJobId: lostJob.id, generationId, attemptNo: 1 }]);
      expect(await attemptAt(generationId, "kie")).toEqual({
        provider_job_id: lostJob.id,
        job_uncertain: true,
        uncertain_resolution: "job_found",
      });
      expect(
        await database.db
          .selectFrom("provider_unclaimed_jobs")
          .select(["resolution"])
          .where("provider_job_id", "=", lostJob.id)
          .executeTakeFirstOrThrow(),
      ).toEqual({ resolution: "attached" });
      // Settled once: a repeated callback and a second pass change nothing.
      expect(await reconciler.reconcileUncertainJobs()).toEqual({ attached: [], claimed: 0, notOurs: 0, unseen: {} });
    },
  );

  it(
    "closes an uncertain submit no job showed itself for, and ignores a callback about a job the provider does not know",
    { timeout: 120_000 },
    async () => {
      const { generationId } = await generateWithLostKieAnswer();
      const reconciler = createUncertainJobActivities({ db: database.db, providers: registry });
      // Signed like Kie's own, but Kie knows no such task: never attached to our open uncertain submit.
      const forgedId = `task_${randomUUID().replace(/-/g, "")}`;
      const response = await fetch(`${receiverOrigin}/api/webhooks/kie`, {
        method: "POST",
        headers: { "content-type": "application/json", ...fakes.sign.kie(forgedId, Math.floor(Date.now() / 1000)) },
        body: JSON.stringify({ code: 200, msg: "success", data: { taskId: forgedId, state: "success" } }),
      });
      expect(response.status).toBe(404);
      const first = await reconciler.reconcileUncertainJobs();
      expect(first).toMatchObject({ attached: [], notOurs: 1 });
      expect(await attemptAt(generationId, "kie")).toMatchObject({ provider_job_id: null, uncertain_resolution: null });
      // Past the wait with no job seen: closed as unseen (and the operator is told).
      const closed = await reconciler.reconcileUncertainJobs({ unseenAfterMs: 0 });
      expect(closed.unseen).toEqual({ kie: 1 });
      expect(await attemptAt(generationId, "kie")).toEqual({
        provider_job_id: null,
        job_uncertain: true,
        uncertain_resolution: "unseen",
      });
    },
  );
});
