// generation.create's promises to a caller: one key is one request (the same request again
// gets the same generation, a different one a typed conflict), models this server cannot run
// are refused up front, and a burst of creates cannot promise more credits than the balance.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBalance } from "@animateimg/billing";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { connectTestClient, createTestBlobStore } from "@animateimg/workflows/testing";
import { createFundedUser, createPhotoAsset } from "@animateimg/workflows/testing/generation-fixtures";
import { createCaller } from "../root";
import { createTRPCContext, type AuthSession } from "../trpc";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";

let database: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectTestClient>>;
const blobStore = createTestBlobStore();
// No worker polls this queue: workflows are started for real and simply wait, so nothing
// reserves credits while the creates race (the window this guards).
const taskQueue = `create-guards-${randomUUID()}`;

beforeAll(async () => {
  database = await createTestDatabase();
  temporal = await connectTestClient();
});
afterAll(async () => {
  await temporal?.close();
  await database?.drop();
});

async function callerFor(userId: string) {
  const session: AuthSession = {
    id: `session-${userId}`,
    user: { id: userId, email: `${userId}@example.test`, name: "Guard", role: "user", emailVerified: true },
  };
  return createCaller(
    await createTRPCContext({
      deps: {
        db: database.db,
        orchestrator: createOrchestrator({ client: () => Promise.resolve(temporal.client), taskQueue }),
        resolveSession: () => Promise.resolve(session),
        generations: { enabledProviders: new Set(["fal"]) },
      },
      headers: new Headers(),
    }),
  );
}

const animate = { durationSeconds: 2, resolution: "480p", cameraMove: "zoom_in", easing: "linear" };

describe("generation.create guards", () => {
  it("answers the same key and the same request with the same generation, however the params are spelled", async () => {
    const userId = await createFundedUser(database.db, 100);
    const caller = await callerFor(userId);
    const imageAssetId = await createPhotoAsset(database.db, blobStore, userId);
    const idempotencyKey = randomUUID();
    const first = await caller.generation.create({
      modelId: "animate",
      prompt: "push in",
      params: animate,
      imageAssetId,
      idempotencyKey,
      private: true,
    });
    // Same request: keys in another order, a default spelled out, the prompt with spaces around.
    const again = await caller.generation.create({
      modelId: "animate",
      prompt: "  push in ",
      params: { easing: "linear", cameraMove: "zoom_in", resolution: "480p", durationSeconds: 2 },
      imageAssetId,
      idempotencyKey,
      private: true,
    });
    expect(again.id).toBe(first.id);
    const rows = await database.db
      .selectFrom("generations")
      .select("request_hash")
      .where("user_id", "=", userId)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.request_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses the same key with a different request as a typed CONFLICT with a clear sentence", async () => {
    const userId = await createFundedUser(database.db, 100);
    const caller = await callerFor(userId);
    const imageAssetId = await createPhotoAsset(database.db, blobStore, userId);
    const idempotencyKey = randomUUID();
    const first = await caller.generation.create({
      modelId: "animate",
      prompt: "push in",
      params: animate,
      imageAssetId,
      idempotencyKey,
      private: true,
    });
    for (const changed of [
      { prompt: "pull out" },
      { params: { ...animate, cameraMove: "pan_left" } },
      { private: false },
    ]) {
      await expect(
        caller.generation.create({
          modelId: "animate",
          prompt: "push in",
          params: animate,
          imageAssetId,
          idempotencyKey,
          private: true,
          ...changed,
        }),
      ).rejects.toMatchObject({
        code: "CONFLICT",
        message: "This request key was already used for a different generation. Send a new key to start another one.",
        cause: { reason: "idempotency_key_reused" },
      });
    }
    const rows = await database.db
      .selectFrom("generations")
      .select(["id", "prompt"])
      .where("user_id", "=", userId)
      .execute();
    expect(rows).toEqual([{ id: first.id, prompt: "push in" }]);
  });

  it("refuses a model that generation.models reports unavailable, before any row or charge", async () => {
    const userId = await createFundedUser(database.db, 500);
    const caller = await callerFor(userId);
    const imageAssetId = await createPhotoAsset(database.db, blobStore, userId);
    const models = await caller.generation.models();
    const unavailable = models.filter((model) => !model.available).map((model) => model.id);
    // With only fal configured: Kling, VEO and Seedance run through fal; none is unavailable
    // but a server with no provider at all offers Animate only.
    expect(unavailable).toEqual([]);
    const bare = createCaller(
      await createTRPCContext({
        deps: {
          db: database.db,
          orchestrator: createOrchestrator({ client: () => Promise.resolve(temporal.client), taskQueue }),
          resolveSession: () =>
            Promise.resolve({
              id: "s",
              user: { id: userId, email: "u@example.test", name: "U", role: "user", emailVerified: true },
            }),
          generations: { enabledProviders: new Set() },
        },
        headers: new Headers(),
      }),
    );
    expect((await bare.generation.models()).filter((model) => !model.available).map((model) => model.id)).toEqual([
      "kling-3",
      "veo-3.1",
      "seedance-2",
      "motion-control",
    ]);
    await expect(
      bare.generation.create({
        modelId: "kling-3",
        prompt: "wave",
        params: { durationSeconds: 5 },
        imageAssetId,
        idempotencyKey: randomUUID(),
        private: true,
      }),
    ).rejects.toMatchObject({ code: "PRECONDITION_FAILED", cause: { reason: "model_unavailable" } });
    expect(await database.db.selectFrom("generations").select("id").where("user_id", "=", userId).execute()).toEqual(
      [],
    );
  });

  it("counts generations that have not reserved yet against the balance: 20 concurrent creates, credits for 5", async () => {
    const price = 2; // animate, 2 s at 480p
    const userId = await createFundedUser(database.db, price * 5);
    const caller = await callerFor(userId);
    const imageAssetId = await createPhotoAsset(database.db, blobStore, userId);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        caller.generation.create({
          modelId: "animate",
          prompt: "burst",
          params: animate,
          imageAssetId,
          idempotencyKey: randomUUID(),
          private: true,
        }),
      ),
    );
    const created = results.filter((result) => result.status === "fulfilled");
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    expect(created.map((result) => result.value.priceCredits)).toEqual(Array(5).fill(price));
    expect(refused).toHaveLength(15);
    for (const result of refused)
      expect(result.reason).toMatchObject({ code: "PAYMENT_REQUIRED", cause: { reason: "insufficient_credits" } });
    // Nothing was reserved yet (no worker): the ledger is untouched, the guard was the count.
    expect(await getBalance(database.db, userId)).toBe(price * 5);
  });
});
