// The generation pipeline end to end: real Temporal dev server, real Postgres, real engine
// (ffmpeg), real encrypted blob storage. Every test ends with the ledger invariant.
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { adjustCredits, getBalance, listLedger } from "@animateimg/billing";
import { ledgerViolations, openReservations } from "@animateimg/billing/testing";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { waitFor } from "@animateimg/local-services";
import { probeVideo } from "@animateimg/media";
import { readBody } from "@animateimg/storage";
import {
  cancelGeneration,
  createDbAssetLookup,
  createGeneration,
  getGeneration,
  type CreateGenerationRequest,
} from "@animateimg/generations";
import { createOrchestrator } from "../orchestrator";
import { generationSearchAttributes } from "../search-attributes";
import type { GenerationWorkflowState } from "../shared";
import { generationWorkflowId } from "../workflow-ids";
import { createPhotoAsset, createFundedUser } from "../testing/generation-fixtures";
import { createTestBlobStore, startTestWorker, type TestWorker } from "../testing";
import type { RenderAnimation } from "../activities/generation-activities";
import { recordGenerationHistory } from "../testing/record-history";

/** Saves a scenario's history for replay.test.ts when recording (see recordGenerationHistory). */
const saveHistory = (name: string, generationId: string) => recordGenerationHistory(worker.client, name, generationId);

let database: TestDatabase;
let worker: TestWorker;
const blobStore = createTestBlobStore();
// Lets a test make the next render fail once (a transient fault) before the real engine runs.
let failNextRender = 0;
let renderCalls = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  const { renderAnimation } = await import("@animateimg/animate-engine");
  const flakyRender: RenderAnimation = async (options) => {
    renderCalls += 1;
    if (failNextRender > 0) {
      failNextRender -= 1;
      throw new Error("simulated transient failure (disk hiccup)");
    }
    return renderAnimation({ ...options, params: options.params });
  };
  worker = await startTestWorker({ db: database.db, deps: { blobStore, renderAnimation: flakyRender } });
});
afterEach(async () => {
  expect(await ledgerViolations(database.db)).toEqual([]);
});
afterAll(async () => {
  await worker?.shutdown();
  await database?.drop();
});

function orchestrator() {
  return createOrchestrator({ client: worker.client, taskQueue: worker.taskQueue, undoWindow: "1 second" }).generations;
}

async function create(userId: string, overrides: Partial<CreateGenerationRequest> = {}) {
  const imageAssetId = overrides.imageAssetId ?? (await createPhotoAsset(database.db, blobStore, userId));
  return createGeneration(
    database.db,
    {
      userId,
      modelId: "animate",
      prompt: "slow push in",
      params: { durationSeconds: 2, resolution: "480p", aspectRatio: "16:9", cameraMove: "zoom_in", easing: "linear" },
      imageAssetId,
      private: true,
      idempotencyKey: randomUUID(),
      ...overrides,
    },
    { orchestrator: orchestrator(), findOwnedAssets: createDbAssetLookup(database.db) },
  );
}

async function waitForStatus(userId: string, generationId: string, statuses: string[], timeoutMs = 90_000) {
  return waitFor(
    `generation ${generationId} to reach ${statuses.join("/")}`,
    async () => {
      const generation = await getGeneration(database.db, { userId, generationId });
      return statuses.includes(generation.status) ? generation : undefined;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

describe("generation workflow", () => {
  it("renders a real MP4, stores it, and charges exactly the price once", async () => {
    const userId = await createFundedUser(database.db, 50);
    const { generation } = await create(userId);
    expect(generation.priceCredits).toBe(2);
    const done = await waitForStatus(userId, generation.id, ["succeeded", "failed"]);
    expect(done.status).toBe("succeeded");
    expect(done.progress).toBe(1);
    expect(done.attempts).toEqual([expect.objectContaining({ attemptNo: 1, provider: "local", outcome: "succeeded" })]);
    expect(done.output).toMatchObject({ width: 854, height: 480 });
    expect(done.output?.durationMs).toBeGreaterThan(1900);

    const row = await database.db
      .selectFrom("generations")
      .selectAll()
      .where("id", "=", generation.id)
      .executeTakeFirstOrThrow();
    const stored = await blobStore.get(row.output_video_key!);
    const file = path.join(mkdtempSync(path.join(tmpdir(), "out-")), "video.mp4");
    writeFileSync(file, await readBody(stored!.body));
    const probe = await probeVideo(file);
    expect(probe).toMatchObject({ codec: "h264", pixelFormat: "yuv420p", width: 854, height: 480, faststart: true });
    expect(probe.durationSeconds).toBeCloseTo(2, 1);
    expect(await blobStore.exists(row.output_poster_key!)).toBe(true);

    expect(await getBalance(database.db, userId)).toBe(48);
    const ledger = (await listLedger(database.db, { userId })).map((e) => e.kind);
    expect(ledger).toEqual(["capture", "reserve", "grant"]);

    const state = (await worker.client.workflow
      .getHandle(generationWorkflowId(generation.id))
      .result()) as GenerationWorkflowState;
    expect(state.phase).toBe("succeeded");
    expect(state.status).toEqual({ code: "done", params: {} });
    await saveHistory("succeeded", generation.id);
  });

  it("fails with insufficient_credits and charges nothing when the balance is gone by the time it starts", async () => {
    const userId = await createFundedUser(database.db, 2);
    const imageAssetId = await createPhotoAsset(database.db, blobStore, userId);
    // A second press while the first has not reserved yet is refused at create (the pending
    // price counts against the balance)…
    let deferred: string | undefined;
    const later = { ...orchestrator(), start: (id: string) => Promise.resolve(void (deferred = id)) };
    const { generation } = await createGeneration(
      database.db,
      {
        userId,
        modelId: "animate",
        prompt: "slow push in",
        params: {
          durationSeconds: 2,
          resolution: "480p",
          aspectRatio: "16:9",
          cameraMove: "zoom_in",
          easing: "linear",
        },
        imageAssetId,
        private: true,
        idempotencyKey: randomUUID(),
      },
      { orchestrator: later, findOwnedAssets: createDbAssetLookup(database.db) },
    );
    await expect(create(userId, { imageAssetId })).rejects.toMatchObject({
      code: "PAYMENT_REQUIRED",
      reason: "insufficient_credits",
    });
    // …and credits spent elsewhere before the workflow starts make the reservation fail.
    await adjustCredits(database.db, {
      userId,
      amount: -2,
      reason: "spent elsewhere",
      actorUserId: userId,
      idempotencyKey: randomUUID(),
    });
    expect(deferred).toBe(generation.id);
    await orchestrator().start(generation.id);
    const failed = await waitForStatus(userId, generation.id, ["succeeded", "failed"]);
    expect(failed.status).toBe("failed");
    expect(failed.failureReason).toBe("insufficient_credits");
    expect(failed.statusMessage).toMatch(/not have enough credits/);
    expect(failed.statusDetail).toMatchObject({ code: "insufficient_credits", params: {} });
    expect(failed.attempts).toEqual([]);
    expect(await getBalance(database.db, userId)).toBe(0);
    const ledger = await listLedger(database.db, { userId });
    expect(ledger.filter((e) => e.generation_id === failed.id)).toEqual([]);
    await saveHistory("insufficient-credits", failed.id);
  });

  it("refuses up front when the balance cannot cover the price", async () => {
    const userId = await createFundedUser(database.db, 1);
    await expect(create(userId)).rejects.toMatchObject({ code: "PAYMENT_REQUIRED", reason: "insufficient_credits" });
    expect(await database.db.selectFrom("generations").select("id").where("user_id", "=", userId).execute()).toEqual(
      [],
    );
  });

  it("cancels mid-render: ffmpeg stops, the credits come back, the attempt says canceled", async () => {
    const userId = await createFundedUser(database.db, 100);
    const { generation } = await create(userId, {
      params: { durationSeconds: 10, resolution: "1080p", fps: 30, cameraMove: "drift" },
    });
    await waitFor("the render to report progress", async () => {
      const g = await getGeneration(database.db, { userId, generationId: generation.id });
      return g.status === "running" && g.progress > 0 ? true : undefined;
    });
    await cancelGeneration(database.db, { userId, generationId: generation.id }, orchestrator());
    const done = await waitForStatus(userId, generation.id, ["canceled", "succeeded", "failed"]);
    expect(done.status).toBe("canceled");
    expect(done.statusMessage).toBe("Canceled. Your credits were refunded.");
    expect(done.statusDetail).toMatchObject({ code: "canceled", params: {} });
    expect(done.hasOutput).toBe(false);
    expect(done.attempts[0]).toMatchObject({ provider: "local", outcome: "canceled" });
    expect(await getBalance(database.db, userId)).toBe(100);
    expect((await listLedger(database.db, { userId })).map((e) => e.kind)).toEqual(["release", "reserve", "grant"]);
    // The outcome is upserted as the workflow ends, just after the row says canceled.
    const handle = worker.client.workflow.getHandle(generationWorkflowId(generation.id));
    await handle.result();
    const { typedSearchAttributes } = await handle.describe();
    expect(typedSearchAttributes.get(generationSearchAttributes.outcome)).toBe("canceled");
    // Operators find it the way the README says (visibility is written just after the close).
    const canceledOnes = await waitFor("the canceled generation to be listed", async () => {
      const ids: string[] = [];
      for await (const execution of worker.client.workflow.list({
        query: `AnimateImgOutcome = "canceled" AND TaskQueue = "${worker.taskQueue}"`,
      }))
        ids.push(execution.workflowId);
      return ids.includes(handle.workflowId) ? ids : undefined;
    });
    expect(canceledOnes).toContain(handle.workflowId);
    await saveHistory("canceled", generation.id);
  });

  it("retries a transient render failure and succeeds, charged once", async () => {
    const userId = await createFundedUser(database.db, 10);
    failNextRender = 1;
    const callsBefore = renderCalls;
    const { generation } = await create(userId);
    const done = await waitForStatus(userId, generation.id, ["succeeded", "failed"]);
    expect(done.status).toBe("succeeded");
    expect(renderCalls - callsBefore).toBe(2);
    expect(done.attempts).toHaveLength(1);
    expect(await getBalance(database.db, userId)).toBe(8);
    await saveHistory("retried", generation.id);
  });

  it("starts one workflow for two creates with the same key", async () => {
    const userId = await createFundedUser(database.db, 10);
    const imageAssetId = await createPhotoAsset(database.db, blobStore, userId);
    const idempotencyKey = randomUUID();
    const results = await Promise.all([
      create(userId, { imageAssetId, idempotencyKey }),
      create(userId, { imageAssetId, idempotencyKey }),
    ]);
    expect(results[0].generation.id).toBe(results[1].generation.id);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    await waitForStatus(userId, results[0].generation.id, ["succeeded"]);
    const rows = await database.db.selectFrom("generations").select("id").where("user_id", "=", userId).execute();
    expect(rows).toHaveLength(1);
    // A third press after it finished returns the finished generation and starts nothing new.
    const again = await create(userId, { imageAssetId, idempotencyKey });
    expect(again).toMatchObject({ created: false, generation: { id: results[0].generation.id, status: "succeeded" } });
    expect(await getBalance(database.db, userId)).toBe(8);
    expect(await openReservations(database.db)).toEqual([]);
  });

  it("lets operators list generations by outcome and model (Temporal search attributes)", async () => {
    const userId = await createFundedUser(database.db, 2);
    const imageAssetId = await createPhotoAsset(database.db, blobStore, userId);
    const otherUserId = await createFundedUser(database.db, 10);
    // One that will fail: started only after its credits were spent elsewhere.
    let deferred: string | undefined;
    const later = { ...orchestrator(), start: (id: string) => Promise.resolve(void (deferred = id)) };
    const doomed = await createGeneration(
      database.db,
      {
        userId,
        modelId: "animate",
        prompt: "slow push in",
        params: {
          durationSeconds: 2,
          resolution: "480p",
          aspectRatio: "16:9",
          cameraMove: "zoom_in",
          easing: "linear",
        },
        imageAssetId,
        private: true,
        idempotencyKey: randomUUID(),
      },
      { orchestrator: later, findOwnedAssets: createDbAssetLookup(database.db) },
    );
    await adjustCredits(database.db, {
      userId,
      amount: -2,
      reason: "spent elsewhere",
      actorUserId: userId,
      idempotencyKey: randomUUID(),
    });
    await orchestrator().start(deferred!);
    const { generation: fine } = await create(otherUserId);
    await waitForStatus(userId, doomed.generation.id, ["failed"]);
    await waitForStatus(otherUserId, fine.id, ["succeeded"]);

    const failedId = generationWorkflowId(doomed.generation.id);
    const succeededId = generationWorkflowId(fine.id);
    const list = async (query: string) => {
      const ids: string[] = [];
      for await (const execution of worker.client.workflow.list({
        query: `${query} AND TaskQueue = "${worker.taskQueue}"`,
      }))
        ids.push(execution.workflowId);
      return ids;
    };
    // Visibility is written after the workflow closes: wait until both are listed.
    const failedOnes = await waitFor("the failed generation to be listed", async () => {
      const ids = await list('AnimateImgOutcome = "failed"');
      return ids.includes(failedId) ? ids : undefined;
    });
    expect(failedOnes).not.toContain(succeededId);
    const succeededOnes = await waitFor("the succeeded generation to be listed", async () => {
      const ids = await list('AnimateImgOutcome = "succeeded"');
      return ids.includes(succeededId) ? ids : undefined;
    });
    expect(succeededOnes).not.toContain(failedId);
    expect(await list('AnimateImgModel = "animate" AND AnimateImgOutcome IN ("failed", "succeeded")')).toEqual(
      expect.arrayContaining([failedId, succeededId]),
    );
    // Histories with the upserts (the four above predate them), replayed by replay.test.ts.
    await saveHistory("searchable-succeeded", fine.id);
    await saveHistory("searchable-failed", doomed.generation.id);
  });
});
