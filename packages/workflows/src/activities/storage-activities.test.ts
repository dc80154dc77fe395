import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ApplicationFailure } from "@temporalio/common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createLocalEncryptedStore, type BlobStore } from "@animateimg/storage";
import { createStorageActivities } from "./storage-activities";

let database: TestDatabase;
let scratch: string;
let store: BlobStore;

beforeAll(async () => {
  database = await createTestDatabase();
  scratch = await mkdtemp(path.join(tmpdir(), "storage-activities-"));
  store = createLocalEncryptedStore({ root: scratch, keys: new Map([["k", randomBytes(32)]]), activeKeyId: "k" });
});

afterAll(async () => {
  await database?.drop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function assetWithBlobs(deleted: boolean) {
  const { id: userId } = await database.db
    .insertInto("users")
    .values({
      email: `${randomBytes(4).toString("hex")}@example.test`,
      name: "u",
      password_hash: null,
      email_verified_at: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const original = await store.put(Buffer.from("original bytes"), { contentType: "image/jpeg" });
  const thumbnail = await store.put(Buffer.from("thumbnail bytes"), { contentType: "image/webp" });
  const { id } = await database.db
    .insertInto("assets")
    .values({
      user_id: userId,
      kind: "image",
      mime: "image/jpeg",
      original_name: "a.jpg",
      width: 10,
      height: 10,
      duration_ms: null,
      bytes: 14,
      sha256: "0".repeat(64),
      storage_driver: store.driver,
      original_key: original.key,
      thumbnail_key: thumbnail.key,
      poster_key: null,
      deleted_at: deleted ? new Date() : null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id, keys: [original.key, thumbnail.key] };
}

describe("deleteAssetBlobs", () => {
  it("removes a hidden asset's blobs once, and is harmless when retried", async () => {
    const activities = createStorageActivities({ db: database.db, blobStore: store });
    const asset = await assetWithBlobs(true);
    expect((await activities.deleteAssetBlobs(asset.id)).deletedKeys.sort()).toEqual([...asset.keys].sort());
    for (const key of asset.keys) expect(await store.exists(key)).toBe(false);
    expect(await activities.deleteAssetBlobs(asset.id)).toEqual({ deletedKeys: [] });
  });

  it("refuses, without retrying, to remove the blobs of an asset that is not deleted", async () => {
    const activities = createStorageActivities({ db: database.db, blobStore: store });
    const asset = await assetWithBlobs(false);
    const failure = await activities.deleteAssetBlobs(asset.id).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
    for (const key of asset.keys) expect(await store.exists(key)).toBe(true);
  });
});
