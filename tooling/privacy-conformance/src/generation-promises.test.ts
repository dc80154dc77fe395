/**
 * The policy's promises about generated content, checked through the real procedures with a
 * real worker on the Temporal dev server (the Animate engine renders a real MP4).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller, createTRPCContext, type AuthSession } from "@animateimg/api";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { waitFor } from "@animateimg/local-services";
import { createTestBlobStore, startTestWorker, type TestWorker } from "@animateimg/workflows/testing";
import { createFundedUser, createPhotoAsset } from "@animateimg/workflows/testing/generation-fixtures";
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
        user: { id: userId, email: `${userId}@example.test`, name: "Author Name", role: "user", emailVerified: true },
      }
    : null;
  return createCaller(
    await createTRPCContext({
      deps: {
        db: database.db,
        orchestrator: createOrchestrator({ client: () => Promise.resolve(worker.client), taskQueue: worker.taskQueue }),
        resolveSession: () => Promise.resolve(session),
        generations: { blobUrls: { urlFor: ({ key, subject }) => `/api/blobs/test.${subject}.${key}` } },
      },
      headers: new Headers(),
    }),
  );
}

const animate = { durationSeconds: 2, resolution: "480p", cameraMove: "zoom_in", easing: "linear" };

/** A finished generation made without touching the Private toggle. */
async function finishedWithDefaults(userId: string, prompt: string) {
  const caller = await callerFor(userId);
  const imageAssetId = await createPhotoAsset(database.db, blobStore, userId);
  const created = await caller.generation.create({
    modelId: "animate",
    prompt,
    params: animate,
    imageAssetId,
    idempotencyKey: randomUUID(),
  });
  await waitFor("the generation to finish", async () =>
    (await caller.generation.byId({ generationId: created.id })).status === "succeeded" ? true : undefined,
  );
  return created.id;
}

describe("generated content", () => {
  let author: string;
  let generationId: string;
  const prompt = `a lighthouse at dusk ${randomUUID()}`;

  beforeAll(async () => {
    author = await createFundedUser(database.db, 60);
    generationId = await finishedWithDefaults(author, prompt);
  });

  it("privacy: a generation is private unless the person turns Private off", async () => {
    const owner = await callerFor(author);
    expect((await owner.generation.byId({ generationId })).private).toBe(true);
  });

  it("privacy: a private video never appears in the public gallery", async () => {
    const anonymous = await callerFor(null);
    const page = await anonymous.gallery.list({});
    expect(JSON.stringify(page)).not.toContain(prompt);
  });

  it("privacy: a shared video in the gallery never shows who made it", async () => {
    const owner = await callerFor(author);
    await owner.generation.setPrivate({ generationId, private: false });
    const page = JSON.stringify(await (await callerFor(null)).gallery.list({}));
    expect(page).toContain(prompt);
    expect(page).not.toContain(author);
    expect(page).not.toContain("Author Name");
    expect(page).not.toContain("@example.test");
    // Private again: gone at once.
    await owner.generation.setPrivate({ generationId, private: true });
    expect(JSON.stringify(await (await callerFor(null)).gallery.list({}))).not.toContain(prompt);
  });

  it("privacy: with Private on, generated content stays in the person's account (another account cannot read it)", async () => {
    const stranger = await callerFor(await createFundedUser(database.db, 0));
    const error = await stranger.generation.byId({ generationId }).catch((e: unknown) => e as { code?: string });
    expect(error).toMatchObject({ code: "NOT_FOUND" });
    const theirs = await stranger.generation.list({});
    expect(JSON.stringify(theirs)).not.toContain(prompt);
  });
});
