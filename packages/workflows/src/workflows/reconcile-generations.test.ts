// The reconciler as a real Temporal Schedule on the real dev server: a generation whose
// workflow never started is started (same workflow id) and finishes; one past its restart
// bound is failed and refunded; registering the schedules again updates instead of failing.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getBalance, reserveCredits } from "@animateimg/billing";
import { ledgerViolations, openReservations } from "@animateimg/billing/testing";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { waitFor } from "@animateimg/local-services";
import { createDbAssetLookup, createGeneration, type GenerationOrchestrator } from "@animateimg/generations";
import { applicationSchedules, ensureSchedules, reconcileGenerationsSchedule } from "../schedules";
import { generationWorkflowId } from "../workflow-ids";
import { createPhotoAsset, createFundedUser } from "../testing/generation-fixtures";
import { createTestBlobStore, startTestWorker, type TestWorker } from "../testing";

let database: TestDatabase;
let worker: TestWorker;
const blobStore = createTestBlobStore();

beforeAll(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker({
    db: database.db,
    deps: { blobStore },
    registerSchedules: { reconcileEvery: "1 second", reconcile: { graceMs: 0, maxRestarts: 2 } },
  });
});
afterEach(async () => {
  expect(await ledgerViolations(database.db)).toEqual([]);
});
afterAll(async () => {
  await worker?.client.schedule
    .getHandle(reconcileGenerationsSchedule({ taskQueue: worker.taskQueue }).scheduleId)
    .delete()
    .catch(() => {});
  await worker?.shutdown();
  await database?.drop();
});

/** A web process that died between inserting the row and starting the workflow. */
const neverStarts: GenerationOrchestrator = {
  start: () => Promise.resolve(),
  requestCancel: () => Promise.resolve(false),
  scheduleOutputDeletion: () => Promise.resolve(),
};

async function createUnstarted(userId: string) {
  const imageAssetId = await createPhotoAsset(database.db, blobStore, userId);
  const { generation } = await createGeneration(
    database.db,
    {
      userId,
      modelId: "animate",
      prompt: "slow push in",
      params: { durationSeconds: 2, resolution: "480p", aspectRatio: "16:9", cameraMove: "zoom_in", easing: "linear" },
      imageAssetId,
      private: true,
      idempotencyKey: randomUUID(),
    },
    { orchestrator: neverStarts, findOwnedAssets: createDbAssetLookup(database.db) },
  );
  return generation;
}

const statusOf = async (id: string) =>
  await database.db
    .selectFrom("generations")
    .select(["status", "failure_reason", "restarts"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();

describe("reconciler schedule", () => {
  it("is a real schedule: every tick, overlap SKIP, one-minute catch-up; registering again updates it", async () => {
    const definition = reconcileGenerationsSchedule({ taskQueue: worker.taskQueue });
    const description = await worker.client.schedule.getHandle(definition.scheduleId).describe();
    expect(description.policies.overlap).toBe("SKIP");
    expect(description.policies.catchupWindow).toBe(60_000);
    expect(description.spec.intervals?.[0]?.every).toBe(1000);
    // A second worker start registers the same schedules: no error, definition brought up to date.
    await ensureSchedules(
      worker.client,
      worker.taskQueue,
      applicationSchedules({
        taskQueue: worker.taskQueue,
        reconcileEvery: "2 seconds",
        reconcile: { graceMs: 0, maxRestarts: 2 },
      }),
    );
    const updated = await worker.client.schedule.getHandle(definition.scheduleId).describe();
    expect(updated.spec.intervals?.[0]?.every).toBe(2000);
  });

  it("starts a generation whose workflow never started, under the generation's workflow id", async () => {
    const userId = await createFundedUser(database.db, 20);
    const generation = await createUnstarted(userId);
    const done = await waitFor(
      "the reconciler to start and finish the stranded generation",
      async () => {
        const row = await statusOf(generation.id);
        return row.status === "succeeded" || row.status === "failed" ? row : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 200 },
    );
    expect(done).toMatchObject({ status: "succeeded", restarts: 1 });
    // The workflow closes just after it marks the row.
    await waitFor(
      "the restarted workflow to complete",
      async () =>
        (await worker.client.workflow.getHandle(generationWorkflowId(generation.id)).describe()).status.name ===
        "COMPLETED"
          ? true
          : undefined,
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(await getBalance(database.db, userId)).toBe(18);
  });

  it("fails and refunds a generation past its restart bound", async () => {
    const userId = await createFundedUser(database.db, 20);
    const generation = await createUnstarted(userId);
    // As if earlier runs had reserved its price and then died, twice.
    await reserveCredits(database.db, { userId, generationId: generation.id, amount: generation.priceCredits });
    await database.db.updateTable("generations").set({ restarts: 2 }).where("id", "=", generation.id).execute();
    const done = await waitFor(
      "the reconciler to give up on the generation",
      async () => {
        const row = await statusOf(generation.id);
        return row.status === "failed" ? row : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(done.failure_reason).toBe("abandoned");
    expect(await getBalance(database.db, userId)).toBe(20);
    expect(await openReservations(database.db)).toEqual([]);
  });
});
