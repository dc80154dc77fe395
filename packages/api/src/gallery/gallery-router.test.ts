import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { waitFor } from "@animateimg/local-services";
import { createTestBlobStore, startTestWorker, type TestWorker } from "@animateimg/workflows/testing";
import { createFundedUser, createPhotoAsset } from "@animateimg/workflows/testing/generation-fixtures";
import { createCaller } from "../root";
import { createTRPCContext, type AuthSession } from "../trpc";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";

let database: TestDatabase;
let worker: TestWorker;
const blobStore = createTestBlobStore();

beforeAll(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker({ db: database.db, deps: { blobStore } });
});
afterAll(async () => {
  await worker?.shutdown();
  await database?.drop();
});

async function callerFor(userId: string | null) {
  const session: AuthSession | null = userId
    ? {
        id: `session-${userId}`,
        user: { id: userId, email: `${userId}@example.test`, name: "Secret Name", role: "user", emailVerified: true },
      }
    : null;
  return createCaller(
    await createTRPCContext({
      deps: {
        db: database.db,
        orchestrator: createOrchestrator({
          client: () => Promise.resolve(worker.client),
          taskQueue: worker.taskQueue,
          undoWindow: "1 second",
        }),
        resolveSession: () => Promise.resolve(session),
        generations: {
          blobUrls: { urlFor: ({ key, subject }) => `/api/blobs/test.${subject}.${key}` },
        },
      },
      headers: new Headers(),
    }),
  );
}

const animate = { durationSeconds: 2, resolution: "480p", cameraMove: "zoom_in", easing: "linear" };

async function finishedGeneration(userId: string, prompt: string, options: { private?: boolean } = {}) {
  const caller = await callerFor(userId);
  const imageAssetId = await createPhotoAsset(database.db, blobStore, userId);
  const created = await caller.generation.create({
    modelId: "animate",
    prompt,
    params: animate,
    imageAssetId,
    idempotencyKey: randomUUID(),
    private: options.private ?? true,
  });
  await waitFor("the generation to finish", async () =>
    (await caller.generation.byId({ generationId: created.id })).status === "succeeded" ? true : undefined,
  );
  return created.id;
}

describe("gallery.list", () => {
  it("shows only succeeded, shared, live outputs to anyone, with public URLs and nothing about the author", async () => {
    const author = await createFundedUser(database.db, 60);
    const owner = await callerFor(author);
    const shared = await finishedGeneration(author, "a slow zoom over the harbour");
    const kept = await finishedGeneration(author, "kept private");
    const removed = await finishedGeneration(author, "shared then deleted");
    // Still running: never shown even once shared later.
    const imageAssetId = await createPhotoAsset(database.db, blobStore, author);
    const running = await owner.generation.create({
      modelId: "animate",
      prompt: "still running",
      params: animate,
      imageAssetId,
      idempotencyKey: randomUUID(),
    });

    await owner.generation.setPrivate({ generationId: shared, private: false });
    await owner.generation.setPrivate({ generationId: removed, private: false });
    await owner.generation.delete({ generationId: removed });

    const visitor = await callerFor(null);
    const page = await visitor.gallery.list({});
    expect(page.items.map((item) => item.id)).toEqual([shared]);
    const [item] = page.items;
    expect(item).toMatchObject({ modelId: "animate", modelLabel: "Animate", prompt: "a slow zoom over the harbour" });
    expect(item?.videoUrl).toMatch(/^\/api\/blobs\/test\.public\./);
    expect(item?.posterUrl).toMatch(/^\/api\/blobs\/test\.public\./);
    // Nothing that identifies the author, in any field.
    const serialized = JSON.stringify(page);
    expect(serialized).not.toContain(author);
    expect(serialized).not.toContain("example.test");
    expect(serialized).not.toContain("Secret Name");
    expect(Object.keys(item ?? {}).sort()).toEqual(
      [
        "durationMs",
        "finishedAt",
        "height",
        "id",
        "modelId",
        "modelLabel",
        "posterUrl",
        "prompt",
        "videoUrl",
        "width",
      ].sort(),
    );
    expect(page.items.map((i) => i.id)).not.toContain(kept);
    expect(page.items.map((i) => i.id)).not.toContain(running.id);

    // Made private again: gone at once.
    await owner.generation.setPrivate({ generationId: shared, private: true });
    expect((await visitor.gallery.list({})).items).toEqual([]);
    await waitFor("the running one to finish", async () =>
      (await owner.generation.byId({ generationId: running.id })).status === "succeeded" ? true : undefined,
    );
  });

  it("pages newest first without repeats and filters by model", async () => {
    const author = await createFundedUser(database.db, 60);
    const owner = await callerFor(author);
    const ids: string[] = [];
    for (const prompt of ["one", "two", "three"]) {
      const id = await finishedGeneration(author, `page ${prompt}`);
      await owner.generation.setPrivate({ generationId: id, private: false });
      ids.push(id);
    }
    const visitor = await callerFor(null);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof visitor.gallery.list>> = await visitor.gallery.list({ limit: 2, cursor });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.filter((id) => ids.includes(id))).toEqual([...ids].reverse());
    expect(new Set(seen).size).toBe(seen.length);
    expect((await visitor.gallery.list({ modelId: "kling-3" })).items).toEqual([]);
    await expect(visitor.gallery.list({ cursor: "not-a-cursor" })).rejects.toThrow("That page link is no longer valid");
  });
});
