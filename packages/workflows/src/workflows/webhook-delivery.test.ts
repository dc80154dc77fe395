import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerViolations } from "@animateimg/billing/testing";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createMailer, listOutbox } from "@animateimg/email";
import { cancelGeneration, createDbAssetLookup, createGeneration } from "@animateimg/generations";
import { waitFor } from "@animateimg/local-services";
import { createManualResend, createWebhookEndpoint, listDeliveries } from "@animateimg/webhooks";
import { webhookDeliveryWorkflowId } from "@animateimg/workflows/workflow-ids";
import { createOrchestrator } from "../orchestrator";
import { createFundedUser, createPhotoAsset } from "../testing/generation-fixtures";
import {
  createTestBlobStore,
  startTestWorker,
  startWebhookReceiver,
  type TestWorker,
  type WebhookReceiver,
} from "../testing";

// Outbound webhooks end to end on a real worker: a generation finishes, its event is recorded
// and delivered by the delivery workflow to a real HTTP receiver, signed (verified with the
// standardwebhooks package), retried on failure with growing waits, logged attempt by attempt.
// The retry schedule is shortened (ms instead of minutes); the logic is the production one.

let database: TestDatabase;
let worker: TestWorker;
let receiver: WebhookReceiver;
const blobStore = createTestBlobStore();
const policy = { allowLocalHttp: true };

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startWebhookReceiver();
  worker = await startTestWorker({
    db: database.db,
    deps: {
      blobStore,
      webhooks: {
        apiBaseUrl: "http://api.test/api/v1",
        settingsUrl: "http://app.test/settings#webhooks",
        policy,
        mailer: createMailer({ db: database.db, from: "AnimateImg <no-reply@animateimg.test>" }),
        disableAfterDays: 3,
        schedule: { delaysMs: [400, 1200], giveUpAfterMs: 4000 },
        timeoutMs: 5000,
      },
    },
  });
});
afterAll(async () => {
  expect(await ledgerViolations(database.db)).toEqual([]);
  await worker?.shutdown();
  await receiver?.close();
  await database?.drop();
});

const orchestrator = () =>
  createOrchestrator({ client: worker.client, taskQueue: worker.taskQueue, undoWindow: "1 second" }).generations;

async function generate(userId: string, options: { private?: boolean; prompt?: string } = {}) {
  const imageAssetId = await createPhotoAsset(database.db, blobStore, userId);
  const { generation } = await createGeneration(
    database.db,
    {
      userId,
      modelId: "animate",
      prompt: options.prompt ?? "slow push in",
      params: { durationSeconds: 2, resolution: "480p", aspectRatio: "16:9", cameraMove: "zoom_in", easing: "linear" },
      imageAssetId,
      private: options.private ?? true,
      idempotencyKey: randomUUID(),
    },
    { orchestrator: orchestrator(), findOwnedAssets: createDbAssetLookup(database.db) },
  );
  return generation;
}

async function endpoint(userId: string, path: string, events: string[]) {
  return createWebhookEndpoint(database.db, { userId, url: `${receiver.origin}${path}`, events }, { policy });
}

const deliveryOf = async (userId: string, endpointId: string) => {
  const [delivery] = await listDeliveries(database.db, { userId, endpointId });
  return delivery;
};

describe("webhook delivery workflow", () => {
  it("delivers a finished generation signed, retries after 500s with growing waits, and stops after the 2xx", async () => {
    const userId = await createFundedUser(database.db, 20);
    const flaky = await endpoint(userId, "/flaky", ["generation.succeeded"]);
    const elsewhere = await endpoint(userId, "/failures-only", ["generation.failed"]);
    receiver.script("/flaky", [500, 500, 200]);

    const generation = await generate(userId, { prompt: "a secret garden" });
    const delivered = await waitFor(
      "the delivery to succeed",
      async () => {
        const delivery = await deliveryOf(userId, flaky.endpoint.id);
        return delivery?.status === "succeeded" ? delivery : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 100 },
    );

    const requests = receiver.on("/flaky");
    expect(requests).toHaveLength(3);
    const verifier = new Webhook(flaky.secret);
    const bodies = requests.map((request) =>
      verifier.verify(request.body, request.headers as Record<string, string>),
    ) as Array<{ type: string; data: Record<string, unknown> }>;
    expect(bodies[0]).toMatchObject({
      type: "generation.succeeded",
      data: { id: generation.id, status: "succeeded", private: true },
    });
    // A private generation: ids and status only, never its prompt or a URL.
    expect(requests[0]!.body).not.toContain("secret garden");
    expect(requests[0]!.body).not.toMatch(/https?:\/\//);
    // One message, three attempts: the same webhook-id and body, each freshly timestamped and signed.
    expect(new Set(requests.map((request) => request.headers["webhook-id"])).size).toBe(1);
    expect(new Set(requests.map((request) => request.body)).size).toBe(1);
    // Growing waits: the second gap is longer than the first.
    const gaps = [requests[1]!.at - requests[0]!.at, requests[2]!.at - requests[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(400);
    expect(gaps[1]).toBeGreaterThanOrEqual(1200);
    expect(gaps[1]).toBeGreaterThan(gaps[0]!);

    expect(delivered.attemptLog.map((attempt) => [attempt.statusCode, attempt.errorClass])).toEqual([
      [500, "http_status"],
      [500, "http_status"],
      [200, null],
    ]);
    expect(delivered).toMatchObject({
      eventType: "generation.succeeded",
      generationId: generation.id,
      attempts: 3,
      lastStatusCode: 200,
    });
    // The workflow ended on the success: nothing more is sent.
    const handle = worker.client.workflow.getHandle(
      webhookDeliveryWorkflowId({
        deliveryId: delivered.id,
        eventId: delivered.eventId,
        endpointId: flaky.endpoint.id,
      }),
    );
    expect(await handle.result()).toEqual({ outcome: "succeeded", attempts: 3 });
    expect(receiver.on("/flaky")).toHaveLength(3);
    // The endpoint subscribed to failures only got nothing.
    expect(await listDeliveries(database.db, { userId, endpointId: elsewhere.endpoint.id })).toEqual([]);
    const { failing_since } = await database.db
      .selectFrom("webhook_endpoints")
      .select("failing_since")
      .where("id", "=", flaky.endpoint.id)
      .executeTakeFirstOrThrow();
    expect(failing_since).toBeNull();
  });

  it("sends generation.canceled, with a shared generation's details", async () => {
    const userId = await createFundedUser(database.db, 20);
    const hook = await endpoint(userId, "/canceled", ["generation.canceled", "generation.succeeded"]);
    const generation = await generate(userId, { private: false, prompt: "harbour at dusk" });
    await cancelGeneration(database.db, { userId, generationId: generation.id }, orchestrator()).catch(() => undefined);
    const request = await waitFor("the event to arrive", () => Promise.resolve(receiver.on("/canceled")[0]), {
      timeoutMs: 90_000,
      intervalMs: 100,
    });
    const body = new Webhook(hook.secret).verify(request.body, request.headers as Record<string, string>) as {
      type: string;
      data: Record<string, unknown>;
    };
    // The cancel may lose the race with a 2-second render; either way the event says which.
    expect(["generation.canceled", "generation.succeeded"]).toContain(body.type);
    expect(body.data).toMatchObject({
      id: generation.id,
      private: false,
      prompt: "harbour at dusk",
      modelId: "animate",
    });
  });

  it("gives up when the schedule is spent, and the delivery log says so", async () => {
    const userId = await createFundedUser(database.db, 20);
    const down = await endpoint(userId, "/down", ["generation.succeeded"]);
    receiver.script("/down", [503]);
    await generate(userId);
    const failed = await waitFor(
      "the delivery to be given up",
      async () => {
        const delivery = await deliveryOf(userId, down.endpoint.id);
        return delivery?.status === "failed" ? delivery : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 200 },
    );
    // Waits of 0.4, 1.2, 1.2, 1.2 s (4 s in all, the limit): another would pass it, so 5 attempts.
    expect(failed.attemptLog.map((attempt) => attempt.statusCode)).toEqual([503, 503, 503, 503, 503]);
    const endpointRow = await database.db
      .selectFrom("webhook_endpoints")
      .select(["enabled", "failing_since"])
      .where("id", "=", down.endpoint.id)
      .executeTakeFirstOrThrow();
    // Failing for seconds, not days: still on, with the run's start noted.
    expect(endpointRow.enabled).toBe(true);
    expect(endpointRow.failing_since).not.toBeNull();
  });

  it("turns off an endpoint failing for N days and emails its owner once", async () => {
    const userId = await createFundedUser(database.db, 20);
    const owner = await database.db
      .selectFrom("users")
      .select("email")
      .where("id", "=", userId)
      .executeTakeFirstOrThrow();
    const dead = await endpoint(userId, "/dead", ["generation.succeeded"]);
    receiver.script("/dead", [500]);
    // Every delivery since four days ago failed (earlier events).
    await database.db
      .updateTable("webhook_endpoints")
      .set({ failing_since: new Date(Date.now() - 4 * 86_400_000) })
      .where("id", "=", dead.endpoint.id)
      .execute();
    await generate(userId);
    const stopped = await waitFor(
      "the delivery to stop",
      async () => {
        const delivery = await deliveryOf(userId, dead.endpoint.id);
        return delivery?.status === "failed" ? delivery : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 100 },
    );
    // One attempt: it failed, the endpoint went off, the next attempt found it off.
    expect(stopped.attemptLog.map((attempt) => attempt.statusCode)).toEqual([500]);
    const row = await database.db
      .selectFrom("webhook_endpoints")
      .select(["enabled", "disabled_reason"])
      .where("id", "=", dead.endpoint.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ enabled: false, disabled_reason: "failing" });
    const mail = (await listOutbox(database.db, { to: owner.email })).filter(
      (message) => message.kind === "webhook_disabled",
    );
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toContain(`${receiver.origin}/dead`);
    expect(receiver.on("/dead")).toHaveLength(1);
  });

  it("resends by hand, and refuses at connect time an endpoint that now points at a private address", async () => {
    const userId = await createFundedUser(database.db, 20);
    const hook = await endpoint(userId, "/resend", ["generation.succeeded"]);
    await generate(userId);
    const first = await waitFor(
      "the first delivery",
      async () => {
        const delivery = await deliveryOf(userId, hook.endpoint.id);
        return delivery?.status === "succeeded" ? delivery : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 100 },
    );

    const resend = await createManualResend(database.db, { userId, deliveryId: first.id });
    await createOrchestrator({ client: worker.client, taskQueue: worker.taskQueue }).startWebhookDelivery({
      delivery: resend,
      manual: true,
    });
    await waitFor("the resend", () => Promise.resolve(receiver.on("/resend").length === 2 ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    const [original, again] = receiver.on("/resend");
    expect(again!.headers["webhook-id"]).toBe(original!.headers["webhook-id"]);

    // Written behind the check's back (as a name re-pointed after saving would be): the sender still refuses.
    await database.db
      .updateTable("webhook_endpoints")
      .set({ url: "https://10.255.0.1/hook" })
      .where("id", "=", hook.endpoint.id)
      .execute();
    const refused = await createManualResend(database.db, { userId, deliveryId: first.id });
    await createOrchestrator({ client: worker.client, taskQueue: worker.taskQueue }).startWebhookDelivery({
      delivery: refused,
      manual: true,
    });
    const log = await waitFor(
      "the refused attempt",
      async () => {
        const deliveries = await listDeliveries(database.db, { userId, endpointId: hook.endpoint.id });
        const entry = deliveries.find((delivery) => delivery.id === refused.deliveryId);
        return entry && entry.attemptLog.length > 0 ? entry : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(log.attemptLog[0]).toMatchObject({ statusCode: null, errorClass: "refused_address" });
    await worker.client.workflow
      .getHandle(webhookDeliveryWorkflowId({ ...refused, manual: true }))
      .terminate("test over");
  });
});
