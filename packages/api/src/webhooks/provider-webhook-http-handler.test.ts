import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { deleteOldProviderWebhookEvents } from "@animateimg/generations";
import { createProviderRegistry } from "@animateimg/providers";
import { createTestBlobStore } from "@animateimg/workflows/testing";
import { createFundedUser, createPhotoAsset } from "@animateimg/workflows/testing/generation-fixtures";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";
import { createProviderWebhookHttpHandler } from "./provider-webhook-http-handler";

const replicateSecret = `whsec_${Buffer.from("test-replicate-signing-key").toString("base64")}`;
const registry = createProviderRegistry({
  kling: { accessKey: "ak", secretKey: "sk" },
  replicate: { apiToken: "r8_test", webhookSecret: replicateSecret },
});

function signedReplicate(id: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const key = Buffer.from(replicateSecret.slice("whsec_".length), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": `v1,${signature}` };
}

describe("POST /api/webhooks/{provider}", () => {
  let database: TestDatabase;
  let generationId: string;
  const signals: Array<{ workflowId: string; name: string; args: unknown[] }> = [];
  let handler: ReturnType<typeof createProviderWebhookHttpHandler>;

  beforeAll(async () => {
    database = await createTestDatabase();
    const db = database.db;
    const userId = await createFundedUser(db, 0);
    const imageAssetId = await createPhotoAsset(db, createTestBlobStore(), userId);
    const generation = await db
      .insertInto("generations")
      .values({
        user_id: userId,
        model_id: "kling-3",
        prompt: "p",
        params: "{}",
        image_asset_id: imageAssetId,
        price_credits: 50,
        idempotency_key: `webhook-test-${userId}`,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    generationId = generation.id;
    await db
      .insertInto("generation_attempts")
      .values([
        { generation_id: generationId, attempt_no: 1, provider: "kling", provider_job_id: "kling-task-1" },
        { generation_id: generationId, attempt_no: 2, provider: "replicate", provider_job_id: "pred-1" },
      ])
      .execute();
    const client = {
      workflow: {
        getHandle: (workflowId: string) => ({
          signal: (name: string, ...args: unknown[]) => {
            signals.push({ workflowId, name, args });
            return Promise.resolve();
          },
        }),
      },
    };
    handler = createProviderWebhookHttpHandler({
      getDb: () => db,
      // The real orchestrator over a fake client: the workflow id and signal name are its own.
      getOrchestrator: () => createOrchestrator({ client: client as never, taskQueue: "unused" }),
      getRegistry: () => registry,
    });
  });
  afterAll(async () => {
    await database?.drop();
  });

  const post = (provider: string, body: string, headers: Record<string, string> = {}) =>
    handler(
      new Request(`http://app.test/api/webhooks/${provider}`, {
        method: "POST",
        body,
        headers: { "content-type": "application/json", ...headers },
      }),
      provider,
    );

  it("signals the generation's workflow once per delivery", async () => {
    const body = JSON.stringify({
      task_id: "kling-task-1",
      task_status: "succeed",
      task_result: { videos: [{ url: "https://cdn/x.mp4" }] },
    });
    const first = await post("kling", body);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, duplicate: false });
    const again = await post("kling", body);
    expect(await again.json()).toEqual({ ok: true, duplicate: true });
    expect(signals).toEqual([
      {
        workflowId: `generation-${generationId}`,
        name: "providerUpdate",
        args: [{ provider: "kling", providerJobId: "kling-task-1" }],
      },
    ]);
    const rows = await database.db.selectFrom("provider_webhook_events").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ provider: "kling", provider_job_id: "kling-task-1" });
  });

  it("verifies signed providers: 401 on a bad signature, dedup by the delivery id", async () => {
    const body = JSON.stringify({ id: "pred-1", status: "succeeded", output: "https://replicate.delivery/x.mp4" });
    expect((await post("replicate", body, signedReplicate("msg_1", body.replace("pred-1", "pred-2")))).status).toBe(
      401,
    );
    expect(
      (await post("replicate", body, signedReplicate("msg_1", body, Math.floor(Date.now() / 1000) - 600))).status,
    ).toBe(401);
    expect((await post("replicate", body, signedReplicate("msg_1", body))).status).toBe(200);
    expect(await (await post("replicate", body, signedReplicate("msg_1", body))).json()).toEqual({
      ok: true,
      duplicate: true,
    });
    expect(signals.filter((s) => (s.args[0] as { provider: string }).provider === "replicate")).toHaveLength(1);
  });

  it("answers 404 for disabled providers and unknown jobs", async () => {
    expect((await post("fal", "{}")).status).toBe(404);
    expect((await post("kling", JSON.stringify({ task_id: "nobody", task_status: "succeed" }))).status).toBe(404);
  });

  it("lets the retention sweep delete old delivery records", async () => {
    const before = await database.db.selectFrom("provider_webhook_events").select("delivery_key").execute();
    expect(before.length).toBeGreaterThan(0);
    expect(await deleteOldProviderWebhookEvents(database.db, { olderThan: new Date(Date.now() - 60_000) })).toBe(0);
    expect(await deleteOldProviderWebhookEvents(database.db, { olderThan: new Date(Date.now() + 60_000) })).toBe(
      before.length,
    );
  });
});
