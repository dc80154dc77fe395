// Workflow history holds ciphertext only: a generation on an upstream provider (its prompt and
// parameters travel in activity inputs, provider job ids and output URLs in results) is read
// back raw from the Temporal server, without the codec, and nothing of the person's is there;
// the same history decoded with the key gives the prompt back, so the check has teeth.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, Connection } from "@temporalio/client";
import type { Payload } from "@temporalio/common";
import proto from "@temporalio/proto";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createDbAssetLookup, createGeneration, getGeneration } from "@animateimg/generations";
import { waitFor } from "@animateimg/local-services";
import { ensureFakeVideo, startFakeProviders, type FakeProviders } from "@animateimg/provider-fakes";
import { createProviderRegistry } from "@animateimg/providers";
import { inject } from "vitest";
import { createOrchestrator } from "../orchestrator";
import { createEncryptionCodec, encryptedEncoding } from "../payload-codec";
import { generationWorkflowId } from "../workflow-ids";
import { createTestBlobStore, startTestWorker, testPayloadKeys, type TestWorker } from "../testing";
import { createFundedUser, createPhotoAsset } from "../testing/generation-fixtures";

let database: TestDatabase;
let fakes: FakeProviders;
let worker: TestWorker;
const blobStore = createTestBlobStore();

beforeAll(async () => {
  database = await createTestDatabase();
  fakes = await startFakeProviders({ videoPath: await ensureFakeVideo() });
  const c = fakes.credentials;
  worker = await startTestWorker({
    db: database.db,
    deps: {
      blobStore,
      providers: createProviderRegistry({
        kling: { baseUrl: fakes.baseUrls.kling, accessKey: c.kling.accessKey, secretKey: c.kling.secretKey },
        timeoutMs: 8000,
      }),
      mediaUrlFor: () => fakes.mediaUrl("photo.png"),
    },
  });
});
afterAll(async () => {
  await worker?.shutdown();
  await fakes?.stop();
  await database?.drop();
});

/**
 * Every payload object anywhere in a history (inputs, results, failures, markers…) except
 * search attributes (indexed by the server, so never encoded by a codec: Temporal's own
 * TemporalChangeVersion, our model and outcome keywords) and patch markers (the SDK writes the
 * patch id in clear, e.g. {"id":"provider-slot-watch"}); neither holds user data.
 */
function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (value === null || typeof value !== "object") return found;
  if (value instanceof Uint8Array) return found;
  const record = value as Record<string, unknown>;
  if (record.markerName === "core_patch") return found;
  if (record.metadata && typeof record.metadata === "object" && record.data instanceof Uint8Array) found.push(record);
  for (const [key, child] of Object.entries(record)) if (key !== "searchAttributes") payloadsIn(child, found);
  return found;
}

describe("payload encryption", () => {
  it("privacy: workflow history on the Temporal server holds no prompt, URL or email, only ciphertext", async () => {
    const userId = await createFundedUser(database.db, 200);
    const { email } = await database.db
      .selectFrom("users")
      .select("email")
      .where("id", "=", userId)
      .executeTakeFirstOrThrow();
    const prompt = `a lighthouse at dusk, waves ${randomUUID()}`;
    const imageAssetId = await createPhotoAsset(database.db, blobStore, userId);
    const orchestrator = createOrchestrator({
      client: worker.client,
      taskQueue: worker.taskQueue,
      timeouts: {
        providerPollIntervalMs: 50,
        providerAttemptTimeoutMs: 12_000,
        providerRetryInitialInterval: "100 milliseconds",
      },
    }).generations;
    const { generation } = await createGeneration(
      database.db,
      {
        userId,
        modelId: "kling-3",
        prompt,
        params: { durationSeconds: 5, mode: "std" },
        imageAssetId,
        private: true,
        idempotencyKey: randomUUID(),
      },
      { orchestrator, findOwnedAssets: createDbAssetLookup(database.db) },
    );
    const done = await waitFor(
      "the generation to end",
      async () => {
        const g = await getGeneration(database.db, { userId, generationId: generation.id });
        return g.status === "succeeded" || g.status === "failed" ? g : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 100 },
    );
    expect(done.status).toBe("succeeded");
    const workflowId = generationWorkflowId(generation.id);
    await worker.client.workflow.getHandle(workflowId).result();

    // Raw, as anyone with access to Temporal (its UI, its database, a CLI) would see it.
    const connection = await Connection.connect({ address: inject("temporalAddress") });
    try {
      const plain = new Client({ connection, namespace: "default" });
      const { history } = await plain.workflowService.getWorkflowExecutionHistory({
        namespace: "default",
        execution: { workflowId },
      });
      const raw = Buffer.from(proto.temporal.api.history.v1.History.encode(history!).finish()).toString("latin1");
      expect(raw).not.toContain(prompt);
      expect(raw).not.toContain(email);
      expect(raw).not.toMatch(/https?:\/\//);
      expect(raw).not.toContain(fakes.baseUrls.kling.replace(/^https?:\/\//, ""));

      const payloads = payloadsIn(history);
      expect(payloads.length).toBeGreaterThan(5);
      const clearPayloads = payloads.filter((p) => Buffer.from(p.metadata!.encoding!).toString() !== encryptedEncoding);
      expect(clearPayloads.map((p) => Buffer.from(p.data!).toString())).toEqual([]);

      // With the key the same history reads in full: the prompt really travels through it.
      const decoded = await createEncryptionCodec(testPayloadKeys).decode(payloads);
      const clear = decoded.map((p) => Buffer.from(p.data ?? new Uint8Array()).toString("utf8")).join("\n");
      expect(clear).toContain(generation.id);
      expect(clear).toMatch(/https?:\/\//);
    } finally {
      await connection.close();
    }
  });
});
