// createGeneration joins a transaction the caller opened: its row commits or rolls back with the
// caller's other writes.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { grantCredits } from "@animateimg/billing";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createGeneration, type CreateGenerationDeps } from "./create-generation";
import { createDbAssetLookup } from "./owned-assets";
import { insertUserWithPhoto } from "./test-fixtures";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

async function fundedUserWithPhoto(): Promise<{ userId: string; assetId: string }> {
  const { db } = database;
  const { userId, assetId } = await insertUserWithPhoto(db);
  await grantCredits(db, { userId, amount: 100, kind: "grant", reason: "test", idempotencyKey: `test:${userId}` });
  return { userId, assetId };
}

function deps(started: string[]): CreateGenerationDeps {
  return {
    orchestrator: {
      start: (generationId) => {
        started.push(generationId);
        return Promise.resolve();
      },
      requestCancel: () => Promise.resolve(false),
      scheduleOutputDeletion: () => Promise.resolve(),
    },
    findOwnedAssets: createDbAssetLookup(database.db),
  };
}

const request = (userId: string, assetId: string) => ({
  userId,
  modelId: "animate" as const,
  prompt: "",
  params: {},
  imageAssetId: assetId,
  private: true,
  idempotencyKey: randomUUID(),
});

const rowsOf = (userId: string) =>
  database.db.selectFrom("generations").select("id").where("user_id", "=", userId).execute();

it("commits with the caller's transaction", async () => {
  const { userId, assetId } = await fundedUserWithPhoto();
  const started: string[] = [];
  const { generation, created } = await database.db
    .transaction()
    .execute((trx) => createGeneration(trx, request(userId, assetId), deps(started)));
  expect(created).toBe(true);
  expect(started).toEqual([generation.id]);
  expect(await rowsOf(userId)).toEqual([{ id: generation.id }]);
});

it("rolls back with the caller's transaction", async () => {
  const { userId, assetId } = await fundedUserWithPhoto();
  const started: string[] = [];
  const refused = new Error("the caller's next write failed");
  await expect(
    database.db.transaction().execute(async (trx) => {
      await createGeneration(trx, request(userId, assetId), deps(started));
      throw refused;
    }),
  ).rejects.toBe(refused);
  expect(started).toHaveLength(1);
  expect(await rowsOf(userId)).toEqual([]);
});
