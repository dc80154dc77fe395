import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { ledgerViolations } from "@animateimg/billing/testing";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createGenerationEvents, recordProgress, type GenerationEvents } from "@animateimg/generations";
import { waitFor } from "@animateimg/local-services";
import { createTestBlobStore, startTestWorker, type TestWorker } from "@animateimg/workflows/testing";
import { createFundedUser, createPhotoAsset } from "@animateimg/workflows/testing/generation-fixtures";
import { createCaller } from "../root";
import { createTRPCContext, type AuthSession } from "../trpc";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";

let database: TestDatabase;
let worker: TestWorker;
let events: GenerationEvents;
const blobStore = createTestBlobStore();

beforeAll(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker({ db: database.db, deps: { blobStore } });
  events = createGenerationEvents({ databaseUrl: database.url });
});
afterAll(async () => {
  expect(await ledgerViolations(database.db)).toEqual([]);
  await events?.close();
  await worker?.shutdown();
  await database?.drop();
});

async function callerFor(
  userId: string | null,
  {
    verified = true,
    db = database.db,
    signal,
  }: { verified?: boolean; db?: TestDatabase["db"]; signal?: AbortSignal } = {},
) {
  const session: AuthSession | null = userId
    ? {
        id: `session-${userId}`,
        user: { id: userId, email: `${userId}@example.test`, name: "T", role: "user", emailVerified: verified },
      }
    : null;
  return createCaller(
    await createTRPCContext({
      deps: {
        db,
        orchestrator: createOrchestrator({
          client: () => Promise.resolve(worker.client),
          taskQueue: worker.taskQueue,
          undoWindow: "1 second",
        }),
        resolveSession: () => Promise.resolve(session),
        generations: {
          events,
          blobUrls: { urlFor: ({ key, subject }) => `/api/blobs/test.${subject}.${key}` },
        },
      },
      headers: new Headers(),
    }),
    signal ? { signal } : undefined,
  );
}

const animate = { durationSeconds: 2, resolution: "480p", cameraMove: "pan_right", easing: "linear" };

async function expectCode(promise: Promise<unknown>, code: TRPCError["code"]) {
  await expect(promise).rejects.toSatisfy((error: unknown) => error instanceof TRPCError && error.code === code);
}

describe("generation router", () => {
  it("lists the five models with prices; only the local engine is available without provider keys", async () => {
    const caller = await callerFor(null);
    const models = await caller.generation.models();
    expect(models.map((m) => m.id)).toEqual(["animate", "kling-3", "veo-3.1", "seedance-2", "motion-control"]);
    expect(models.find((m) => m.id === "animate")).toMatchObject({ available: true, priceRange: { min: 2, max: 30 } });
    expect(models.filter((m) => m.available).map((m) => m.id)).toEqual(["animate"]);
  });

  it("quotes the price and balance, and explains a bad parameter per field", async () => {
    const userId = await createFundedUser(database.db, 40);
    const caller = await callerFor(userId);
    expect(
      await caller.generation.quote({ modelId: "animate", params: { durationSeconds: 5, resolution: "1080p" } }),
    ).toMatchObject({
      priceCredits: 15,
      balance: 40,
      enough: true,
    });
    const failure = await caller.generation
      .quote({ modelId: "animate", params: { durationSeconds: 99 } })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TRPCError);
    expect((failure as TRPCError).code).toBe("BAD_REQUEST");
    expect((failure as TRPCError).message).toMatch(/^Duration: /);
  });

  it("creates, streams live status to the owner, and serves the finished video by signed URL", async () => {
    const userId = await createFundedUser(database.db, 40);
    const caller = await callerFor(userId);
    const imageAssetId = await createPhotoAsset(database.db, blobStore, userId);

    const stream = await caller.generation.onStatus(undefined);
    const seen: string[] = [];
    const finished = (async () => {
      for await (const event of stream) {
        if (event.kind !== "update") continue;
        seen.push(event.generation.status);
        if (event.generation.status === "succeeded") return event.generation;
      }
      return null;
    })();

    const created = await caller.generation.create({
      modelId: "animate",
      prompt: "pan across",
      params: animate,
      imageAssetId,
      idempotencyKey: randomUUID(),
    });
    expect(created).toMatchObject({ status: "queued", priceCredits: 2, private: true, videoUrl: null });
    // Returning from the for-await ends the subscription (its finally unsubscribes).
    const done = await finished;
    expect(done).toMatchObject({ id: created.id, status: "succeeded", progress: 1 });
    expect(seen).toContain("running");
    expect(done?.videoUrl).toMatch(new RegExp(`^/api/blobs/test\\.${userId}\\.`));
    expect(done?.attempts[0]?.summary).toMatch(/^Finished on Animate engine in \d+\.\d s$/);
    // The same as data, for the web app to word: the provider's id and the seconds, not English.
    expect(done?.attempts[0]?.description).toMatchObject({
      code: "attempt_succeeded_in",
      params: { provider: "local" },
    });
    expect(String((done?.attempts[0]?.description.params as { seconds?: string } | undefined)?.seconds)).toMatch(
      /^\d+\.\d$/,
    );
    expect(done?.statusDetail).toMatchObject({ code: "done", params: {}, message: "Done" });

    const again = await caller.generation.byId({ generationId: created.id });
    expect(again.downloadUrl).not.toBeNull();
    const page = await caller.generation.list({ limit: 10 });
    expect(page.items.map((g) => g.id)).toContain(created.id);
  });

  it("gives every open tab of the owner a status change for one read, however many tabs are open", async () => {
    const userId = await createFundedUser(database.db, 40);
    const imageAssetId = await createPhotoAsset(database.db, blobStore, userId);
    // A queued row nobody runs: only the ticks below change it.
    const { id: generationId } = await database.db
      .insertInto("generations")
      .values({
        user_id: userId,
        model_id: "animate",
        prompt: "",
        params: JSON.stringify(animate),
        image_asset_id: imageAssetId,
        end_frame_asset_id: null,
        reference_video_asset_id: null,
        queue_position: null,
        status_message: null,
        failure_reason: null,
        price_credits: 2,
        idempotency_key: randomUUID(),
        retry_of: null,
        output_video_key: null,
        output_poster_key: null,
        output_duration_ms: null,
        output_width: null,
        output_height: null,
        output_bytes: null,
        output_sha256: null,
        updated_at: new Date(),
        started_at: null,
        finished_at: null,
        deleted_at: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    let queries = 0;
    const counted = database.db.withPlugin({
      transformQuery: (args) => {
        queries += 1;
        return args.node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    });

    /** Opens `tabs` streams of the owner and returns the queries one tick cost the server. */
    const queriesForOneTick = async (tabs: number, progress: number) => {
      const seen: number[][] = Array.from({ length: tabs }, () => []);
      const controller = new AbortController();
      const streams = await Promise.all(
        Array.from({ length: tabs }, async () =>
          (await callerFor(userId, { db: counted, signal: controller.signal })).generation.onStatus(undefined),
        ),
      );
      const reading = streams.map(async (stream, tab) => {
        for await (const event of stream)
          if (event.kind === "update" && event.generation.id === generationId)
            seen[tab]!.push(event.generation.progress);
      });
      // Streams are listening once a warm-up tick reaches every tab. Warm-up ticks are numbered
      // (k/1024: exact in a float4); once every tab has the last one written, no read for an
      // earlier one is still under way (each tab handles its events in order).
      let warmUp = 0;
      await waitFor("every tab to hear a warm-up tick", async () => {
        if (warmUp > 0 && seen.every((tab) => tab.includes(warmUp / 1024))) return true;
        // Another tick only while some tab has heard none (it, or the LISTEN connection, is
        // still subscribing): afterwards the last tick written is the one every tab must hear.
        if (warmUp === 0 || seen.some((tab) => tab.length === 0)) {
          warmUp += 1;
          await recordProgress(database.db, generationId, { progress: warmUp / 1024 });
        }
        return undefined;
      });
      const before = queries;
      await recordProgress(database.db, generationId, { progress });
      await waitFor("every tab to hear the tick", () =>
        Promise.resolve(seen.every((tab) => tab.includes(progress)) ? true : undefined),
      );
      const cost = queries - before;
      controller.abort();
      await Promise.allSettled(reading);
      return cost;
    };

    const oneTab = await queriesForOneTick(1, 0.25);
    const fiveTabs = await queriesForOneTick(5, 0.5);
    expect(oneTab).toBeGreaterThan(0);
    expect(fiveTabs).toBe(oneTab);
  });

  it("keeps every generation private to its owner", async () => {
    const owner = await createFundedUser(database.db, 40);
    const stranger = await createFundedUser(database.db, 40);
    const ownerCaller = await callerFor(owner);
    const strangerCaller = await callerFor(stranger);
    const imageAssetId = await createPhotoAsset(database.db, blobStore, owner);
    const created = await ownerCaller.generation.create({
      modelId: "animate",
      prompt: "",
      params: animate,
      imageAssetId,
      idempotencyKey: randomUUID(),
    });

    const generationId = created.id;
    await expectCode(strangerCaller.generation.byId({ generationId }), "NOT_FOUND");
    await expectCode(strangerCaller.generation.cancel({ generationId }), "NOT_FOUND");
    await expectCode(strangerCaller.generation.delete({ generationId }), "NOT_FOUND");
    await expectCode(strangerCaller.generation.setPrivate({ generationId, private: false }), "NOT_FOUND");
    await expectCode(strangerCaller.generation.retry({ generationId }), "NOT_FOUND");
    expect((await strangerCaller.generation.list({ limit: 50 })).items).toEqual([]);
    // Nor can a stranger generate from the owner's photo.
    await expectCode(
      strangerCaller.generation.create({
        modelId: "animate",
        prompt: "",
        params: animate,
        imageAssetId,
        idempotencyKey: randomUUID(),
      }),
      "NOT_FOUND",
    );
    await waitFor("the owner's generation to finish", async () => {
      const g = await ownerCaller.generation.byId({ generationId });
      return g.status === "succeeded" ? g : undefined;
    });
  });

  it("requires a signed-in, verified user to start paid work", async () => {
    const userId = await createFundedUser(database.db, 40);
    const imageAssetId = await createPhotoAsset(database.db, blobStore, userId);
    const input = {
      modelId: "animate" as const,
      prompt: "",
      params: animate,
      imageAssetId,
      idempotencyKey: randomUUID(),
    };
    await expectCode((await callerFor(null)).generation.create(input), "UNAUTHORIZED");
    const unverified = await callerFor(userId, { verified: false });
    await expect(unverified.generation.create(input)).rejects.toThrow(
      "Please verify your email address before starting paid work.",
    );
  });

  it("publishes only finished videos, and delete hides at once then removes the files", async () => {
    const userId = await createFundedUser(database.db, 40);
    const caller = await callerFor(userId);
    const imageAssetId = await createPhotoAsset(database.db, blobStore, userId);
    const created = await caller.generation.create({
      modelId: "animate",
      prompt: "",
      params: animate,
      imageAssetId,
      idempotencyKey: randomUUID(),
    });
    await expectCode(caller.generation.setPrivate({ generationId: created.id, private: false }), "CONFLICT");
    await waitFor("it to finish", async () =>
      (await caller.generation.byId({ generationId: created.id })).status === "succeeded" ? true : undefined,
    );
    expect(await caller.generation.setPrivate({ generationId: created.id, private: false })).toMatchObject({
      private: false,
    });

    const row = await database.db
      .selectFrom("generations")
      .selectAll()
      .where("id", "=", created.id)
      .executeTakeFirstOrThrow();
    expect(await blobStore.exists(row.output_video_key!)).toBe(true);
    await caller.generation.delete({ generationId: created.id });
    await expectCode(caller.generation.byId({ generationId: created.id }), "NOT_FOUND");
    const hidden = await database.db
      .selectFrom("generations")
      .select(["private"])
      .where("id", "=", created.id)
      .executeTakeFirstOrThrow();
    expect(hidden.private).toBe(true); // a deleted video can never linger in the gallery
    await waitFor(
      "the stored video to be removed",
      async () => ((await blobStore.exists(row.output_video_key!)) ? undefined : true),
      {
        timeoutMs: 30_000,
      },
    );
    expect(await blobStore.exists(row.output_poster_key!)).toBe(false);
  });

  it("retries with the same inputs as a new generation, and pages the list newest first", async () => {
    const userId = await createFundedUser(database.db, 40);
    const caller = await callerFor(userId);
    const imageAssetId = await createPhotoAsset(database.db, blobStore, userId);
    const first = await caller.generation.create({
      modelId: "animate",
      prompt: "one",
      params: animate,
      imageAssetId,
      idempotencyKey: randomUUID(),
    });
    const retried = await caller.generation.retry({ generationId: first.id });
    expect(retried).toMatchObject({ prompt: "one", retryOf: first.id, imageAssetId });
    expect(retried.id).not.toBe(first.id);

    const page1 = await caller.generation.list({ limit: 1 });
    expect(page1.items.map((g) => g.id)).toEqual([retried.id]);
    const page2 = await caller.generation.list({ limit: 1, cursor: page1.nextCursor });
    expect(page2.items.map((g) => g.id)).toEqual([first.id]);
    expect(page2.nextCursor).toBeNull();
    const failedOnly = await caller.generation.list({ limit: 10, status: ["failed"] });
    expect(failedOnly.items).toEqual([]);
    for (const id of [first.id, retried.id]) {
      await waitFor("it to finish", async () =>
        (await caller.generation.byId({ generationId: id })).status === "succeeded" ? true : undefined,
      );
    }
  });
});
