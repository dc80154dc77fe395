// Upstream providers behind the workflow, against the local fakes that speak each provider's
// protocol: fallback charged once, every provider failing refunds in full, Retry-After is
// honoured, a hung provider times out and the next one finishes, moderation after an accepted
// submit refunds without cascading, cancel reaches the provider, and an expired output URL is
// never what the user gets.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getBalance, listLedger } from "@animateimg/billing";
import { ledgerViolations } from "@animateimg/billing/testing";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { cancelGeneration, createDbAssetLookup, createGeneration, getGeneration } from "@animateimg/generations";
import { waitFor } from "@animateimg/local-services";
import { ensureFakeVideo, startFakeProviders, type FakeProviders } from "@animateimg/provider-fakes";
import { createProviderRegistry, type ProviderRegistryConfig } from "@animateimg/providers";
import { createOrchestrator } from "../orchestrator";
import { generationSignals } from "../shared";
import { recordGenerationHistory } from "../testing/record-history";
import { generationWorkflowId } from "../workflow-ids";
import proto from "@temporalio/proto";
import { createTestBlobStore, startTestWorker, type TestWorker } from "../testing";
import { createFundedUser, createPhotoAsset } from "../testing/generation-fixtures";

let database: TestDatabase;
let fakes: FakeProviders;
let worker: TestWorker;
const blobStore = createTestBlobStore();

function registryConfig(only?: string[]): ProviderRegistryConfig {
  const c = fakes.credentials;
  const all: ProviderRegistryConfig = {
    kling: { baseUrl: fakes.baseUrls.kling, accessKey: c.kling.accessKey, secretKey: c.kling.secretKey },
    google: { baseUrl: fakes.baseUrls.google, apiKey: c.google.apiKey },
    bytedance: { baseUrl: fakes.baseUrls.bytedance, apiKey: c.bytedance.apiKey },
    kie: { baseUrl: fakes.baseUrls.kie, apiKey: c.kie.apiKey, webhookHmacKey: c.kie.webhookHmacKey },
    fal: { baseUrl: fakes.baseUrls.fal, apiKey: c.fal.apiKey, jwksUrl: fakes.falJwksUrl },
    replicate: {
      baseUrl: fakes.baseUrls.replicate,
      apiToken: c.replicate.apiToken,
      webhookSecret: c.replicate.webhookSecret,
    },
    // Generous: on a loaded machine a fake can take seconds to answer, and a submit with no
    // answer at a provider we cannot search by our id is (rightly) not sent again.
    timeoutMs: 8000,
  };
  if (!only) return all;
  return Object.fromEntries(Object.entries(all).filter(([key]) => only.includes(key) || key === "timeoutMs"));
}

beforeAll(async () => {
  database = await createTestDatabase();
  fakes = await startFakeProviders({ videoPath: await ensureFakeVideo() });
  worker = await startTestWorker({
    db: database.db,
    deps: {
      blobStore,
      providers: createProviderRegistry(registryConfig()),
      mediaUrlFor: () => fakes.mediaUrl("photo.png"),
    },
  });
});
afterEach(async () => {
  fakes.control.clearFaults();
  fakes.control.setLifecycle("all", { queuedPolls: 1, pollsToComplete: 3 });
  expect(await ledgerViolations(database.db)).toEqual([]);
  // The circuit breaker reads recent attempts: each test starts with healthy providers
  // instead of inheriting the failures the previous one injected.
  await database.db.deleteFrom("generation_attempts").execute();
});
afterAll(async () => {
  await worker?.shutdown();
  await fakes?.stop();
  await database?.drop();
});

// The attempt deadline leaves room for a loaded machine (12 polls can take seconds there).
const timeouts = {
  providerPollIntervalMs: 50,
  providerAttemptTimeoutMs: 12_000,
  providerRetryInitialInterval: "100 milliseconds",
};

async function generate(
  userId: string,
  target: TestWorker = worker,
  overrides: {
    params?: Record<string, unknown>;
    modelId?: "kling-3" | "veo-3.1" | "seedance-2";
    timeouts?: typeof timeouts;
  } = {},
) {
  const imageAssetId = await createPhotoAsset(database.db, blobStore, userId);
  const orchestrator = createOrchestrator({
    client: target.client,
    taskQueue: target.taskQueue,
    timeouts: overrides.timeouts ?? timeouts,
  }).generations;
  const { generation } = await createGeneration(
    database.db,
    {
      userId,
      modelId: overrides.modelId ?? "kling-3",
      prompt: "she turns and smiles",
      params: overrides.params ?? { durationSeconds: 5, mode: "std" },
      imageAssetId,
      private: true,
      idempotencyKey: randomUUID(),
    },
    { orchestrator, findOwnedAssets: createDbAssetLookup(database.db) },
  );
  return { generation, orchestrator };
}

const finished = (userId: string, generationId: string) =>
  waitFor(
    "the generation to end",
    async () => {
      const g = await getGeneration(database.db, { userId, generationId });
      return g.status === "succeeded" || g.status === "failed" || g.status === "canceled" ? g : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 100 },
  );

describe("generation on upstream providers", () => {
  it("tries the cheapest healthy route first, falls back on a 5xx, and charges once", async () => {
    const userId = await createFundedUser(database.db, 200);
    // Kling 3.0 allows cheaper-first: Kie (0.7) comes before Kling's own API (1.0). Kie cannot
    // be searched by our id, so a 5xx at submit (maybe a job, maybe not) is recorded as an
    // uncertain job and never resubmitted there: the generation moves on at once.
    fakes.control.injectFault("kie", { kind: "server_error" });
    const { generation } = await generate(userId);
    const done = await finished(userId, generation.id);
    expect(done.status).toBe("succeeded");
    expect(done.attempts.map((a) => [a.provider, a.outcome, a.errorKind])).toEqual([
      ["kie", "failed", "submit_uncertain"],
      ["kling", "succeeded", null],
    ]);
    expect(done.statusMessage).toBe("Kie had a hiccup; finished on Kling");
    await recordGenerationHistory(worker.client, "provider-fallback-5xx", generation.id);
    // Recorded as data (the web app words it); the English above is the API's fallback.
    expect(done.statusDetail).toEqual({
      code: "finished_after_fallback",
      params: { from: "kie", reason: "submit_uncertain", provider: "kling" },
      message: "Kie had a hiccup; finished on Kling",
    });
    expect(await getBalance(database.db, userId)).toBe(200 - done.priceCredits);
    expect((await listLedger(database.db, { userId })).map((e) => e.kind)).toEqual(["capture", "reserve", "grant"]);

    // The video is ours now: expiring every provider URL changes nothing for the user.
    fakes.control.expireOutputs();
    const row = await database.db
      .selectFrom("generations")
      .selectAll()
      .where("id", "=", generation.id)
      .executeTakeFirstOrThrow();
    expect(await blobStore.exists(row.output_video_key!)).toBe(true);
    expect(row.output_width).toBe(320);
  });

  it("refunds in full with a clear reason when every provider fails", async () => {
    const userId = await createFundedUser(database.db, 200);
    for (const provider of ["kie", "kling", "fal", "replicate"] as const)
      fakes.control.injectFault(provider, { kind: "server_error" });
    const { generation } = await generate(userId);
    const done = await finished(userId, generation.id);
    expect(done.status).toBe("failed");
    expect(done.attempts.map((a) => a.provider)).toEqual(["kie", "kling", "fal", "replicate"]);
    expect(done.statusMessage).toBe(
      "Every available video service failed to make this video. Your credits were refunded; please try again later.",
    );
    expect(done.statusDetail).toMatchObject({ code: "failed_all_routes", params: {} });
    expect(await getBalance(database.db, userId)).toBe(200);
    expect((await listLedger(database.db, { userId })).map((e) => e.kind)).toEqual(["release", "reserve", "grant"]);
  });

  it("waits out a 429's Retry-After and stays on the same provider", async () => {
    const userId = await createFundedUser(database.db, 200);
    fakes.control.injectFault("kie", { kind: "rate_limit", retryAfterSeconds: 1, times: 1, on: "submit" });
    const before = fakes.requests.length;
    const { generation } = await generate(userId);
    const done = await finished(userId, generation.id);
    expect(done.status).toBe("succeeded");
    expect(done.attempts.map((a) => [a.provider, a.outcome])).toEqual([["kie", "succeeded"]]);
    const submits = fakes.requests.slice(before).filter((r) => r.provider === "kie" && r.method === "POST");
    expect(submits).toHaveLength(2);
    expect(submits[1]!.at - submits[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it(
    "gives up on a hung provider after the attempt timeout and finishes on the next",
    { timeout: 120_000 },
    async () => {
      const userId = await createFundedUser(database.db, 200);
      fakes.control.injectFault("kie", { kind: "hang", on: "poll" });
      const { generation } = await generate(userId);
      const done = await finished(userId, generation.id);
      expect(done.status).toBe("succeeded");
      expect(done.attempts.map((a) => [a.provider, a.outcome])).toEqual([
        ["kie", "timed_out"],
        ["kling", "succeeded"],
      ]);
      expect(done.statusMessage).toBe("Kie took too long; finished on Kling");
      await recordGenerationHistory(worker.client, "provider-timeout", generation.id);
    },
  );

  it("reads the job again at once when the provider's callback nudges the workflow", { timeout: 120_000 }, async () => {
    const userId = await createFundedUser(database.db, 200);
    // The first read says running and the second says done; polls are ten minutes apart, so
    // only the nudge (what a verified webhook sends) can bring the second read within the test.
    fakes.control.setLifecycle("kie", { queuedPolls: 0, pollsToComplete: 2 });
    const { generation } = await generate(userId, worker, {
      timeouts: { ...timeouts, providerPollIntervalMs: 600_000, providerAttemptTimeoutMs: 300_000 },
    });
    const jobId = await waitFor("the job to reach Kie", async () => {
      const row = await database.db
        .selectFrom("generation_attempts")
        .select("provider_job_id")
        .where("generation_id", "=", generation.id)
        .executeTakeFirst();
      return row?.provider_job_id ?? undefined;
    });
    await waitFor("Kie's first status read", () =>
      Promise.resolve(
        fakes.requests.some((r) => r.provider === "kie" && r.method === "GET" && r.path.includes(jobId))
          ? true
          : undefined,
      ),
    );
    await worker.client.workflow
      .getHandle(generationWorkflowId(generation.id))
      .signal(generationSignals.providerUpdate, { provider: "kie", providerJobId: jobId });
    const done = await finished(userId, generation.id);
    expect(done.status).toBe("succeeded");
    expect(done.attempts.map((a) => [a.provider, a.outcome])).toEqual([["kie", "succeeded"]]);
    await recordGenerationHistory(worker.client, "provider-webhook-nudge", generation.id);
  });

  it("refunds a moderation rejection after an accepted submit, without sending it to every provider", async () => {
    const userId = await createFundedUser(database.db, 200);
    fakes.control.injectFault("kie", { kind: "moderation", times: 1 });
    const { generation } = await generate(userId);
    const done = await finished(userId, generation.id);
    expect(done.status).toBe("failed");
    expect(done.attempts.map((a) => [a.provider, a.errorKind])).toEqual([["kie", "content_policy"]]);
    expect(done.failureReason).toBe("content_policy");
    expect(done.statusMessage).toMatch(/declined this photo or prompt under its content rules.*refunded/);
    expect(await getBalance(database.db, userId)).toBe(200);
  });

  it("never gives the user an expired provider URL: a lost output falls back", async () => {
    const userId = await createFundedUser(database.db, 200);
    fakes.control.injectFault("kie", { kind: "expired_output", times: 1 });
    const { generation } = await generate(userId);
    const done = await finished(userId, generation.id);
    expect(done.status).toBe("succeeded");
    expect(done.attempts.map((a) => [a.provider, a.errorKind])).toEqual([
      ["kie", "output_unavailable"],
      ["kling", null],
    ]);
    expect(done.hasOutput).toBe(true);
  });

  it("passes a cancel on to the provider and refunds", async () => {
    // Only fal here, which has a cancel endpoint (Kie has none).
    const falOnly = await startTestWorker({
      db: database.db,
      deps: {
        blobStore,
        providers: createProviderRegistry(registryConfig(["fal"])),
        mediaUrlFor: () => fakes.mediaUrl("photo.png"),
      },
    });
    try {
      fakes.control.setLifecycle("fal", { queuedPolls: 1000, pollsToComplete: 100_000 });
      const userId = await createFundedUser(database.db, 200);
      const { generation, orchestrator } = await generate(userId, falOnly);
      const attempt = await waitFor("the job to reach fal", async () => {
        const row = await database.db
          .selectFrom("generation_attempts")
          .select(["provider_job_id"])
          .where("generation_id", "=", generation.id)
          .executeTakeFirst();
        return row?.provider_job_id ?? undefined;
      });
      const g = await waitFor("the queue position to show", async () => {
        const current = await getGeneration(database.db, { userId, generationId: generation.id });
        return current.queuePosition !== null ? current : undefined;
      });
      expect(g.statusMessage).toMatch(/^In queue \(position \d+\)$/);
      expect(g.statusDetail).toMatchObject({ code: "provider_queue_position", params: { position: g.queuePosition } });
      await cancelGeneration(database.db, { userId, generationId: generation.id }, orchestrator);
      const done = await finished(userId, generation.id);
      expect(done.status).toBe("canceled");
      expect(await getBalance(database.db, userId)).toBe(200);
      await waitFor("fal to receive the cancel", () =>
        Promise.resolve(
          fakes.requests.some(
            (r) => r.provider === "fal" && r.method === "PUT" && r.path.includes(attempt) && r.path.endsWith("/cancel"),
          )
            ? true
            : undefined,
        ),
      );
      await recordGenerationHistory(falOnly.client, "provider-cancel", generation.id);
    } finally {
      await falOnly.shutdown();
    }
  });

  it(
    "holds a burst to the provider's concurrency limit: the rest wait in the queue, none fail",
    { timeout: 120_000 },
    async () => {
      const kieOnly = await startTestWorker({
        db: database.db,
        deps: {
          blobStore,
          providers: createProviderRegistry(registryConfig(["kie"])),
          mediaUrlFor: () => fakes.mediaUrl("photo.png"),
        },
        providerLimits: { kie: { concurrentJobs: 2, perSecond: 50 } },
      });
      try {
        fakes.control.setLifecycle("kie", { queuedPolls: 2, pollsToComplete: 12 });
        const userId = await createFundedUser(database.db, 1000);
        const before = fakes.control.jobs("kie").length;
        const started = await Promise.all(Array.from({ length: 5 }, () => generate(userId, kieOnly)));
        let maxInFlight = 0;
        const results = await waitFor(
          "the burst to finish",
          async () => {
            const jobs = fakes.control.jobs("kie").slice(before);
            maxInFlight = Math.max(maxInFlight, jobs.filter((j) => j.phase !== "done").length);
            const rows = await Promise.all(
              started.map(({ generation }) => getGeneration(database.db, { userId, generationId: generation.id })),
            );
            return rows.every((g) => g.status === "succeeded" || g.status === "failed") ? rows : undefined;
          },
          { timeoutMs: 90_000, intervalMs: 20 },
        );
        expect(results.map((g) => g.status)).toEqual(Array(5).fill("succeeded"));
        expect(fakes.control.jobs("kie").length - before).toBe(5);
        expect(maxInFlight).toBeGreaterThan(0);
        expect(maxInFlight).toBeLessThanOrEqual(2);
      } finally {
        await kieOnly.shutdown();
      }
    },
  );

  it(
    "times a hung status read out on its own, reads again without giving up the job, and frees the slot meanwhile",
    { timeout: 120_000 },
    async () => {
      // One slot at Kie, status reads given 1 s: three hung reads would outlast the 12 s attempt
      // if each waited out the request budget (8 s) while holding the only slot.
      const kieOnly = await startTestWorker({
        db: database.db,
        deps: {
          blobStore,
          providers: createProviderRegistry({ ...registryConfig(["kie"]), readTimeoutMs: 1000 }),
          mediaUrlFor: () => fakes.mediaUrl("photo.png"),
        },
        providerLimits: { kie: { concurrentJobs: 1, perSecond: 50 } },
      });
      try {
        const userId = await createFundedUser(database.db, 1000);
        const before = fakes.control.jobs("kie").length;
        const requestsBefore = fakes.requests.length;
        fakes.control.injectFault("kie", { kind: "hang", on: "poll", times: 3 });
        const started = [await generate(userId, kieOnly), await generate(userId, kieOnly)];
        const results = await Promise.all(started.map(({ generation }) => finished(userId, generation.id)));
        for (const done of results) {
          expect(done.status).toBe("succeeded");
          expect(done.attempts.map((a) => [a.provider, a.outcome])).toEqual([["kie", "succeeded"]]);
        }
        // One job per generation (the job was kept through the hung reads, never resubmitted)...
        const jobs = fakes.control.jobs("kie").slice(before);
        expect(jobs).toHaveLength(2);
        // Three hung reads, then the three each job needs to finish.
        expect(
          fakes.requests.slice(requestsBefore).filter((r) => r.provider === "kie" && r.method === "GET").length,
        ).toBeGreaterThanOrEqual(9);
        // ...and with one slot, the second job started while the first still waited on its hung
        // reads: the slot was free during them.
        const [first, second] = [...jobs].sort((a, b) => a.createdAt - b.createdAt);
        expect(second!.createdAt).toBeLessThan(first!.updatedAt);
      } finally {
        await kieOnly.shutdown();
      }
    },
  );

  it("skips a provider whose circuit is open after recent failures", { timeout: 180_000 }, async () => {
    const userId = await createFundedUser(database.db, 1000);
    // Six recent transient failures at Kie: its circuit opens, so routing goes straight to Kling.
    for (let i = 0; i < 6; i += 1) {
      // One 5xx per generation: Kie cannot be searched by our id, so it is not resubmitted there.
      fakes.control.injectFault("kie", { kind: "server_error", on: "submit", times: 1 });
      const { generation } = await generate(userId);
      await finished(userId, generation.id);
    }
    fakes.control.clearFaults();
    const kieSubmitsBefore = fakes.requests.filter((r) => r.provider === "kie" && r.method === "POST").length;
    const { generation } = await generate(userId);
    const done = await finished(userId, generation.id);
    expect(done.status).toBe("succeeded");
    expect(done.attempts.map((a) => a.provider)).toEqual(["kling"]);
    expect(fakes.requests.filter((r) => r.provider === "kie" && r.method === "POST").length).toBe(kieSubmitsBefore);
  });

  it(
    "finds a job whose create answer was lost in Replicate's and BytePlus's job lists: one job, no fallback",
    { timeout: 120_000 },
    async () => {
      const listing = await startTestWorker({
        db: database.db,
        deps: {
          blobStore,
          providers: createProviderRegistry(registryConfig(["replicate", "bytedance"])),
          mediaUrlFor: () => fakes.mediaUrl("photo.png"),
        },
      });
      try {
        const cases = [
          { provider: "replicate", modelId: "kling-3", params: { durationSeconds: 5, mode: "std" } },
          // No seed of the user's: BytePlus gets one derived from the attempt, which the lookup matches.
          {
            provider: "bytedance",
            modelId: "seedance-2",
            params: {
              durationSeconds: 5,
              resolution: "720p",
              aspectRatio: "16:9",
              cameraFixed: false,
              generateAudio: false,
            },
          },
        ] as const;
        for (const { provider, modelId, params } of cases) {
          const userId = await createFundedUser(database.db, 1000);
          const jobsBefore = fakes.control.jobs(provider).length;
          // The provider creates the job, and the answer with its id is lost (a 502).
          fakes.control.injectFault(provider, { kind: "lost_response", on: "submit", times: 1 });
          const { generation } = await generate(userId, listing, { modelId, params });
          const done = await finished(userId, generation.id);
          expect(done.status, provider).toBe("succeeded");
          expect(
            done.attempts.map((a) => [a.provider, a.outcome]),
            provider,
          ).toEqual([[provider, "succeeded"]]);
          const jobs = fakes.control.jobs(provider).slice(jobsBefore);
          expect(jobs, `${provider}: exactly one job, the one the lost answer created`).toHaveLength(1);
          const attempt = await database.db
            .selectFrom("generation_attempts")
            .select(["provider_job_id", "job_uncertain"])
            .where("generation_id", "=", generation.id)
            .executeTakeFirstOrThrow();
          expect(attempt).toEqual({ provider_job_id: jobs[0]!.id, job_uncertain: false });
          expect(await getBalance(database.db, userId)).toBe(1000 - done.priceCredits);
        }
      } finally {
        await listing.shutdown();
      }
    },
  );

  it("downloads Google's output with its key but never records the key in workflow history", async () => {
    const googleOnly = await startTestWorker({
      db: database.db,
      deps: {
        blobStore,
        providers: createProviderRegistry(registryConfig(["google"])),
        mediaUrlFor: () => fakes.mediaUrl("photo.png"),
      },
    });
    try {
      const userId = await createFundedUser(database.db, 1000);
      const { generation } = await generate(userId, googleOnly, { modelId: "veo-3.1", params: { durationSeconds: 8 } });
      const done = await finished(userId, generation.id);
      expect(done.status).toBe("succeeded");
      expect(done.attempts.map((a) => a.provider)).toEqual(["google"]);
      const history = await googleOnly.client.workflow.getHandle(generationWorkflowId(generation.id)).fetchHistory();
      // The encoded history holds every payload's bytes as written (JSON text).
      const bytes = Buffer.from(proto.temporal.api.history.v1.History.encode(history).finish()).toString("latin1");
      expect(bytes).toContain(done.id); // the check can see payloads at all
      expect(bytes).not.toContain(fakes.credentials.google.apiKey);
    } finally {
      await googleOnly.shutdown();
    }
  });
});
