/**
 * The policy's "access, export" promise ("Your Choices and Rights: Access, export, or delete your
 * data"), checked end to end: a real generation rendered by the Animate engine on a real worker,
 * the export requested through the real procedure, built by the real workflow into encrypted
 * storage, and downloaded through the real route, by its owner only.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller, createDataExportHttpHandler, createTRPCContext, type ApiDependencies } from "@animateimg/api";
import { createExportLinks } from "@animateimg/data-export";
import { seedAccountWithHistory, unzipEntries, type SeededAccount } from "@animateimg/data-export/testing";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { waitFor } from "@animateimg/local-services";
import { createBlobUrlSigner, readBody } from "@animateimg/storage";
import { createTestBlobStore, startTestWorker, type TestWorker } from "@animateimg/workflows/testing";
import { createFundedUser, createPhotoAsset } from "@animateimg/workflows/testing/generation-fixtures";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";

let database: TestDatabase;
let worker: TestWorker;
let other: SeededAccount;
const blobStore = createTestBlobStore();
const signer = createBlobUrlSigner({ secret: randomBytes(32) });
const people = new Map<string, string>();

beforeAll(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker({
    db: database.db,
    deps: { blobStore, dataExports: { links: createExportLinks({ signer, appUrl: "https://app.test" }) } },
  });
  other = await seedAccountWithHistory(database.db, blobStore, "other");
});
afterAll(async () => {
  await worker?.shutdown();
  await database?.drop();
});

const deps = (): ApiDependencies => ({
  db: database.db,
  orchestrator: createOrchestrator({ client: () => Promise.resolve(worker.client), taskQueue: worker.taskQueue }),
  resolveSession: (headers) => {
    const id = people.get(headers.get("x-test-user") ?? "");
    return Promise.resolve(
      id
        ? {
            id: `session-${id}`,
            user: { id, email: `${id}@example.test`, name: "P", role: "user", emailVerified: true },
          }
        : null,
    );
  },
  uploads: { store: blobStore, signer },
});
const callerFor = async (who: string) =>
  createCaller(await createTRPCContext({ deps: deps(), headers: new Headers({ "x-test-user": who }) }));
const downloads = createDataExportHttpHandler({ getDependencies: deps, renderRefusal: (refusal) => refusal });

describe("access and export", () => {
  it("privacy: you can access and export your data (one archive of everything the account holds, downloadable by its owner only)", async () => {
    const owner = await createFundedUser(database.db, 50);
    people.set("owner", owner).set("other", other.userId);
    const prompt = `a harbour at dawn ${randomUUID()}`;
    const caller = await callerFor("owner");
    const imageAssetId = await createPhotoAsset(database.db, blobStore, owner);
    const created = await caller.generation.create({
      modelId: "animate",
      prompt,
      params: { durationSeconds: 2, resolution: "480p", cameraMove: "zoom_in", easing: "linear" },
      imageAssetId,
      idempotencyKey: randomUUID(),
    });
    await waitFor("the generation to finish", async () =>
      (await caller.generation.byId({ generationId: created.id })).status === "succeeded" ? true : undefined,
    );

    const requested = await caller.dataExport.request();
    const ready = await waitFor("the export to be ready", async () => {
      const latest = await caller.dataExport.latest();
      return latest?.status === "ready" ? latest : undefined;
    });

    const response = await downloads(new Request("https://app.test/x", { headers: { "x-test-user": "owner" } }), {
      exportId: requested.id,
    });
    expect(response.status).toBe(200);
    const files = await unzipEntries(Buffer.from(await response.arrayBuffer()));

    // Every generation with its prompt, and the video itself, byte for byte.
    const generations = JSON.parse(files.get("generations.json")!.toString()) as Array<{
      id: string;
      prompt: string;
      status: string;
    }>;
    expect(generations).toEqual([expect.objectContaining({ id: created.id, prompt, status: "succeeded" })]);
    const stored = await database.db
      .selectFrom("generations")
      .select("output_video_key")
      .where("id", "=", created.id)
      .executeTakeFirstOrThrow();
    const video = await readBody((await blobStore.get(stored.output_video_key!))!.body);
    expect(files.get(`videos/${created.id}.mp4`)!.equals(video)).toBe(true);
    // The original upload, and the account, ledger and sessions files.
    const original = await database.db
      .selectFrom("assets")
      .select("original_key")
      .where("id", "=", imageAssetId)
      .executeTakeFirstOrThrow();
    const photo = await readBody((await blobStore.get(original.original_key))!.body);
    const upload = [...files.entries()].find(([name]) => name.startsWith(`uploads/${imageAssetId}`));
    expect(upload?.[1].equals(photo)).toBe(true);
    for (const name of ["README.txt", "account.json", "sessions.json", "credit-ledger.json", "index.json"])
      expect(files.has(name), name).toBe(true);

    // Nothing of another account is in it, and another account cannot download it.
    const text = Buffer.concat([...files.values()]).toString("latin1");
    for (const marker of [other.userId, other.email, ...other.generations.map((g) => g.prompt)])
      expect(text.includes(marker), marker).toBe(false);
    const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
    const hashes = new Set([...files.values()].map(sha));
    for (const upload of other.uploads) expect(hashes.has(sha(upload.bytes))).toBe(false);
    const refused = await downloads(new Request("https://app.test/x", { headers: { "x-test-user": "other" } }), {
      exportId: requested.id,
    });
    expect(refused.status).toBe(404);
    expect(ready.expiresAt).not.toBeNull();
  });
});
