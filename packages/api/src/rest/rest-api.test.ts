import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@animateimg/auth";
import { ledgerViolations } from "@animateimg/billing/testing";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { waitFor } from "@animateimg/local-services";
import { createBlobUrlSigner } from "@animateimg/storage";
import { generationWorkflowId } from "@animateimg/workflows/workflow-ids";
import { createMailer } from "@animateimg/email";
import {
  createTestBlobStore,
  startTestWorker,
  startWebhookReceiver,
  type TestWorker,
  type WebhookReceiver,
} from "@animateimg/workflows/testing";
import { createFundedUser, testPhoto } from "@animateimg/workflows/testing/generation-fixtures";
import { createOpenApiResponseValidator, type ResponseCheck } from "../testing/openapi-response-validator";
import type { ApiDependencies } from "../trpc";
import type { OpenApiDocument } from "./openapi-document";
import { createRestApiHandler } from "./rest-http-handler";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";

const BASE = "http://api.test/api/v1";
let database: TestDatabase;
let worker: TestWorker;
let receiver: WebhookReceiver;
let scratch: string;
let handle: (req: Request) => Promise<Response>;
let validator: ReturnType<typeof createOpenApiResponseValidator>;
/** Every response the tests saw, checked against the served OpenAPI document. */
const checked: ResponseCheck[] = [];
const blobStore = createTestBlobStore();

beforeAll(async () => {
  database = await createTestDatabase();
  scratch = await mkdtemp(path.join(tmpdir(), "rest-api-"));
  receiver = await startWebhookReceiver();
  worker = await startTestWorker({
    db: database.db,
    deps: {
      blobStore,
      // Outbound webhooks to a receiver on this machine (the dev/test setting allows loopback http).
      webhooks: {
        apiBaseUrl: BASE,
        settingsUrl: "http://api.test/settings#webhooks",
        policy: { allowLocalHttp: true },
        mailer: createMailer({ db: database.db, from: "AnimateImg <no-reply@animateimg.test>" }),
        schedule: { delaysMs: [300], giveUpAfterMs: 3000 },
      },
    },
  });
  const deps: ApiDependencies = {
    db: database.db,
    orchestrator: createOrchestrator({
      client: () => Promise.resolve(worker.client),
      taskQueue: worker.taskQueue,
      undoWindow: "1 second",
    }),
    // The REST API never reads cookies: a session resolver that would accept anything proves it.
    resolveSession: () => Promise.reject(new Error("the REST API must not use sessions")),
    uploads: { store: blobStore, signer: createBlobUrlSigner({ secret: randomBytes(32) }), scratchDir: scratch },
    webhooks: { policy: { allowLocalHttp: true } },
  };
  handle = createRestApiHandler({ getDependencies: () => deps });
  const served = await handle(new Request(`${BASE}/openapi.json`));
  expect(served.status).toBe(200);
  validator = createOpenApiResponseValidator((await served.json()) as OpenApiDocument);
});
afterAll(async () => {
  expect(await ledgerViolations(database.db)).toEqual([]);
  await worker?.shutdown();
  await receiver?.close();
  await database?.drop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** One request to the handler; every answer from a documented endpoint is held to the OpenAPI document. */
async function call(
  token: string | null,
  method: string,
  pathname: string,
  init: { json?: unknown; body?: Uint8Array; headers?: Record<string, string> } = {},
) {
  const headers = new Headers(init.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  const response = await handle(
    new Request(`${BASE}${pathname}`, {
      method,
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : (init.body ?? null),
    }),
  );
  const route = pathname.split("?")[0]!;
  // Unknown paths and unsupported methods are outside the document by definition.
  if (response.status !== 405 && !(response.status === 404 && route === "/nothing-here")) {
    checked.push(await validator.check(method, route, response));
  }
  return response;
}

async function newKey(userId: string, scopes: Array<"read" | "generate"> = ["read", "generate"]) {
  return (await createApiKey(database.db, { userId, name: "test", scopes })).token;
}

async function uploadPhoto(token: string): Promise<string> {
  const response = await call(token, "POST", "/uploads?kind=image", {
    body: new Uint8Array(testPhoto()),
    headers: { "x-file-name": "photo.jpg" },
  });
  expect(response.status).toBe(201);
  const asset = (await response.json()) as { id: string; object: string; kind: string };
  expect(asset).toMatchObject({ object: "asset", kind: "image" });
  return asset.id;
}

const animate = { durationSeconds: 2, resolution: "480p", cameraMove: "zoom_in", easing: "linear" };

async function expectProblem(response: Response, status: number, code: string, reason?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const problem = (await response.json()) as Record<string, unknown>;
  expect(problem).toMatchObject({ status, code, ...(reason ? { reason } : {}) });
  expect(typeof problem.title).toBe("string");
  expect(typeof problem.detail).toBe("string");
  return problem;
}

describe("REST API /api/v1", () => {
  it("goes from a key to a finished MP4: upload, quote, create, get, list, download", async () => {
    const userId = await createFundedUser(database.db, 40);
    const token = await newKey(userId);
    const imageAssetId = await uploadPhoto(token);

    const models = (await (await call(token, "GET", "/models")).json()) as {
      data: Array<{ id: string; parameterSchema: { properties: Record<string, unknown> } }>;
    };
    expect(models.data.find((m) => m.id === "animate")?.parameterSchema.properties).toHaveProperty("cameraMove");

    const quote = await call(token, "POST", "/quote", { json: { modelId: "animate", params: animate } });
    expect(await quote.json()).toMatchObject({ object: "quote", priceCredits: 2, balance: 40, enough: true });

    const created = await call(token, "POST", "/generations", {
      json: { modelId: "animate", prompt: "slow push in", params: animate, imageAssetId },
      headers: { "idempotency-key": randomUUID() },
    });
    expect(created.status).toBe(201);
    const generation = (await created.json()) as {
      id: string;
      status: string;
      private: boolean;
      downloadUrl: string | null;
    };
    expect(generation).toMatchObject({ status: "queued", private: true, downloadUrl: null });
    const row = await database.db
      .selectFrom("generations")
      .select("api_key_id")
      .where("id", "=", generation.id)
      .executeTakeFirstOrThrow();
    expect(row.api_key_id).toBe(token.split("_")[1]);

    const finished = await waitFor(
      "the generation to succeed",
      async () => {
        const body = (await (await call(token, "GET", `/generations/${generation.id}`)).json()) as {
          status: string;
          downloadUrl: string | null;
        };
        expect(body.status).not.toMatch(/failed|canceled/);
        return body.status === "succeeded" ? body : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    expect(finished.downloadUrl).toBe(`${BASE}/generations/${generation.id}/download`);
    // The status as data beside its English wording, for clients that word it themselves.
    expect(finished).toMatchObject({
      statusMessage: "Done",
      statusDetail: { code: "done", params: {}, message: "Done" },
    });

    const download = await call(token, "GET", `/generations/${generation.id}/download`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("video/mp4");
    const mp4 = Buffer.from(await download.arrayBuffer());
    expect(mp4.subarray(4, 8).toString("latin1")).toBe("ftyp");

    const list = (await (await call(token, "GET", "/generations?limit=1&status=succeeded")).json()) as {
      data: Array<{ id: string }>;
      nextCursor: string | null;
    };
    expect(list.data.map((g) => g.id)).toEqual([generation.id]);

    const deleted = await call(token, "DELETE", `/generations/${generation.id}`);
    expect(await deleted.json()).toEqual({ id: generation.id, object: "generation", deleted: true });
    await expectProblem(await call(token, "GET", `/generations/${generation.id}/download`), 404, "NOT_FOUND");

    // The key never reaches workflow history: only the generation id does.
    const history = await worker.client.workflow.getHandle(generationWorkflowId(generation.id)).fetchHistory();
    const secret = token.split("_")[2]!;
    expect(JSON.stringify(history)).not.toContain(secret);
  });

  it("pages through a list with the cursor, without repeats", async () => {
    const userId = await createFundedUser(database.db, 40);
    const token = await newKey(userId);
    const imageAssetId = await uploadPhoto(token);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await call(token, "POST", "/generations", {
        json: { modelId: "animate", params: animate, imageAssetId },
      });
      ids.push(((await response.json()) as { id: string }).id);
      await call(token, "POST", `/generations/${ids.at(-1)}/cancel`);
    }
    const first = (await (await call(token, "GET", "/generations?limit=2")).json()) as {
      data: Array<{ id: string }>;
      nextCursor: string;
    };
    const second = (await (
      await call(token, "GET", `/generations?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)
    ).json()) as {
      data: Array<{ id: string }>;
      nextCursor: string | null;
    };
    expect([...first.data, ...second.data].map((g) => g.id).sort()).toEqual([...ids].sort());
    expect(second.nextCursor).toBeNull();
  });

  it("replays the same Idempotency-Key and body as the same generation", async () => {
    const userId = await createFundedUser(database.db, 40);
    const token = await newKey(userId);
    const imageAssetId = await uploadPhoto(token);
    const key = randomUUID();
    const body = { modelId: "animate", prompt: "drift", params: animate, imageAssetId };
    const first = await call(token, "POST", "/generations", { json: body, headers: { "idempotency-key": key } });
    const again = await call(token, "POST", "/generations", { json: body, headers: { "idempotency-key": key } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const [a, b] = (await Promise.all([first.json(), again.json()])) as Array<{ id: string }>;
    expect(b?.id).toBe(a?.id);
    const count = await database.db
      .selectFrom("generations")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("user_id", "=", userId)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    await call(token, "POST", `/generations/${a?.id}/cancel`);
  });

  it("refuses missing, wrong, revoked and wrong-scope keys, and another account's ids", async () => {
    const owner = await createFundedUser(database.db, 40);
    const stranger = await createFundedUser(database.db, 40);
    const ownerToken = await newKey(owner);
    const imageAssetId = await uploadPhoto(ownerToken);
    const created = (await (
      await call(ownerToken, "POST", "/generations", { json: { modelId: "animate", params: animate, imageAssetId } })
    ).json()) as { id: string };

    await expectProblem(await call(null, "GET", "/models"), 401, "UNAUTHORIZED", "missing_api_key");
    await expectProblem(
      await call(`aimg_${"a".repeat(24)}_${"b".repeat(24)}`, "GET", "/models"),
      401,
      "UNAUTHORIZED",
      "invalid_api_key",
    );

    const readOnly = await newKey(owner, ["read"]);
    expect((await call(readOnly, "GET", `/generations/${created.id}`)).status).toBe(200);
    await expectProblem(
      await call(readOnly, "POST", "/generations", { json: { modelId: "animate", params: animate, imageAssetId } }),
      403,
      "FORBIDDEN",
      "insufficient_scope",
    );
    await expectProblem(
      await call(readOnly, "DELETE", `/generations/${created.id}`),
      403,
      "FORBIDDEN",
      "insufficient_scope",
    );
    const generateOnly = await newKey(owner, ["generate"]);
    await expectProblem(await call(generateOnly, "GET", "/generations"), 403, "FORBIDDEN", "insufficient_scope");

    const strangerToken = await newKey(stranger);
    for (const [method, suffix] of [
      ["GET", ""],
      ["GET", "/download"],
      ["POST", "/cancel"],
      ["DELETE", ""],
    ] as const) {
      await expectProblem(await call(strangerToken, method, `/generations/${created.id}${suffix}`), 404, "NOT_FOUND");
    }
    // Someone else's photo cannot be animated either.
    await expectProblem(
      await call(strangerToken, "POST", "/generations", {
        json: { modelId: "animate", params: animate, imageAssetId },
      }),
      404,
      "NOT_FOUND",
    );

    const keyId = ownerToken.split("_")[1]!;
    await database.db.updateTable("api_keys").set({ revoked_at: new Date() }).where("id", "=", keyId).execute();
    await expectProblem(
      await call(ownerToken, "GET", `/generations/${created.id}`),
      401,
      "UNAUTHORIZED",
      "invalid_api_key",
    );

    await expectProblem(await call(readOnly, "POST", `/generations/${created.id}/cancel`), 403, "FORBIDDEN");
    // Scope is checked before anything else; the owner's generate key may cancel (or learn it already finished).
    expect([200, 409]).toContain((await call(generateOnly, "POST", `/generations/${created.id}/cancel`)).status);
  });

  it("answers bad input, unknown routes and spent limits as problem details with the UI's codes", async () => {
    const userId = await createFundedUser(database.db, 1);
    const token = await newKey(userId);
    const imageAssetId = await uploadPhoto(token);

    const invalid = await expectProblem(
      await call(token, "POST", "/quote", { json: { modelId: "animate", params: { durationSeconds: 99 } } }),
      400,
      "BAD_REQUEST",
      "invalid_params",
    );
    expect(invalid.fieldErrors).toHaveProperty("durationSeconds");
    await expectProblem(
      await call(token, "POST", "/generations", { json: { modelId: "nope" } }),
      400,
      "BAD_REQUEST",
      "invalid_input",
    );
    const broke = await expectProblem(
      await call(token, "POST", "/generations", { json: { modelId: "animate", params: animate, imageAssetId } }),
      402,
      "PAYMENT_REQUIRED",
      "insufficient_credits",
    );
    // The values the refusal's sentence is made of, beside that sentence in English.
    expect(broke).toMatchObject({
      params: { price: 2, available: 1, pending: 0 },
      detail: "This costs 2 credits and you have 1. Buy credits or choose cheaper settings.",
    });
    await expectProblem(await call(token, "GET", "/nothing-here"), 404, "NOT_FOUND", "no_such_endpoint");
    const notAllowed = await call(token, "PUT", "/models");
    expect(notAllowed.status).toBe(405);
    expect(notAllowed.headers.get("allow")).toBe("GET");

    await database.db
      .updateTable("api_keys")
      .set({ requests_per_minute: 2 })
      .where("id", "=", token.split("_")[1]!)
      .execute();
    const limited = await waitFor(
      "the key's limit to be spent",
      async () => {
        const response = await call(token, "GET", "/models");
        return response.status === 429 ? response : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 1 },
    );
    const problem = await expectProblem(limited, 429, "TOO_MANY_REQUESTS", "rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(problem.retryAfterSeconds).toBe(Number(limited.headers.get("retry-after")));
  });
  it("refuses the same Idempotency-Key with a different body (409 problem) and creates nothing more", async () => {
    const userId = await createFundedUser(database.db, 40);
    const token = await newKey(userId);
    const imageAssetId = await uploadPhoto(token);
    const key = randomUUID();
    const first = await call(token, "POST", "/generations", {
      json: { modelId: "animate", prompt: "drift", params: animate, imageAssetId },
      headers: { "idempotency-key": key },
    });
    expect(first.status).toBe(201);
    const original = (await first.json()) as { id: string };
    const conflict = await call(token, "POST", "/generations", {
      json: { modelId: "animate", prompt: "a different prompt", params: animate, imageAssetId },
      headers: { "idempotency-key": key },
    });
    const problem = await expectProblem(conflict, 409, "CONFLICT", "idempotency_key_reused");
    expect(problem.detail).toMatch(/new key/i);
    // Params are part of the body too: a changed setting under the same key is a conflict as well.
    await expectProblem(
      await call(token, "POST", "/generations", {
        json: { modelId: "animate", prompt: "drift", params: { ...animate, durationSeconds: 3 }, imageAssetId },
        headers: { "idempotency-key": key },
      }),
      409,
      "CONFLICT",
      "idempotency_key_reused",
    );
    const rows = await database.db.selectFrom("generations").select("id").where("user_id", "=", userId).execute();
    expect(rows.map((row) => row.id)).toEqual([original.id]);
    // The same key with the original body still replays.
    const replay = await call(token, "POST", "/generations", {
      json: { modelId: "animate", prompt: "drift", params: animate, imageAssetId },
      headers: { "idempotency-key": key },
    });
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as { id: string }).id).toBe(original.id);
    await call(token, "POST", `/generations/${original.id}/cancel`);
  });

  it("registers a webhook endpoint, delivers a signed event after a 500, logs the attempts, resends; usage per key", async () => {
    const owner = await createFundedUser(database.db, 40);
    const token = await newKey(owner);
    const readOnly = await newKey(owner, ["read"]);

    // SSRF: private, loopback-over-https and plain-http public URLs are refused with a field error.
    for (const url of [
      "https://10.0.0.8/hook",
      "https://169.254.169.254/latest/meta-data",
      "http://example.com/hook",
    ]) {
      const refused = await expectProblem(
        await call(token, "POST", "/webhooks", { json: { url, events: ["generation.succeeded"] } }),
        400,
        "BAD_REQUEST",
      );
      expect(refused.fieldErrors).toHaveProperty("url");
    }
    await expectProblem(
      await call(readOnly, "POST", "/webhooks", {
        json: { url: `${receiver.origin}/rest`, events: ["generation.succeeded"] },
      }),
      403,
      "FORBIDDEN",
      "insufficient_scope",
    );

    receiver.script("/rest", [500, 200]);
    const created = await call(token, "POST", "/webhooks", {
      json: {
        url: `${receiver.origin}/rest`,
        description: "shop",
        events: ["generation.succeeded", "generation.failed"],
      },
    });
    expect(created.status).toBe(201);
    const endpoint = (await created.json()) as { id: string; secret: string; secretPreview: string; enabled: boolean };
    expect(endpoint.secret).toMatch(/^whsec_/);
    const listed = (await (await call(readOnly, "GET", "/webhooks")).json()) as {
      data: Array<Record<string, unknown>>;
    };
    expect(listed.data.map((entry) => entry.id)).toEqual([endpoint.id]);
    expect(listed.data[0]).not.toHaveProperty("secret");
    expect(
      ((await (await call(token, "GET", `/webhooks/${endpoint.id}`)).json()) as { secretPreview: string })
        .secretPreview,
    ).toBe(endpoint.secretPreview);

    const imageAssetId = await uploadPhoto(token);
    const generation = (await (
      await call(token, "POST", "/generations", {
        json: { modelId: "animate", prompt: "pier", params: animate, imageAssetId },
      })
    ).json()) as { id: string };
    const requests = await waitFor(
      "two attempts at the endpoint",
      () => Promise.resolve(receiver.on("/rest").length >= 2 ? receiver.on("/rest") : undefined),
      {
        timeoutMs: 120_000,
        intervalMs: 100,
      },
    );
    const event = new Webhook(endpoint.secret).verify(
      requests[1]!.body,
      requests[1]!.headers as Record<string, string>,
    ) as { type: string; data: { id: string; status: string } };
    expect(event).toMatchObject({ type: "generation.succeeded", data: { id: generation.id, status: "succeeded" } });

    const log = await waitFor(
      "the delivery to be logged as succeeded",
      async () => {
        const body = (await (await call(readOnly, "GET", `/webhooks/${endpoint.id}/deliveries`)).json()) as {
          data: Array<{ id: string; status: string; attemptLog: Array<{ statusCode: number | null }> }>;
        };
        return body.data[0]?.status === "succeeded" ? body.data[0] : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(log.attemptLog.map((attempt) => attempt.statusCode)).toEqual([500, 200]);

    const resent = await call(token, "POST", `/webhooks/${endpoint.id}/deliveries/${log.id}/resend`);
    expect(resent.status).toBe(202);
    await waitFor("the resend to arrive", () => Promise.resolve(receiver.on("/rest").length === 3 ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    expect(receiver.on("/rest")[2]!.headers["webhook-id"]).toBe(requests[0]!.headers["webhook-id"]);

    // Another account sees none of it: every id is "not found".
    const strangerToken = await newKey(await createFundedUser(database.db, 0));
    await expectProblem(await call(strangerToken, "GET", `/webhooks/${endpoint.id}`), 404, "NOT_FOUND");
    await expectProblem(await call(strangerToken, "GET", `/webhooks/${endpoint.id}/deliveries`), 404, "NOT_FOUND");
    await expectProblem(
      await call(strangerToken, "PATCH", `/webhooks/${endpoint.id}`, { json: { enabled: false } }),
      404,
      "NOT_FOUND",
    );
    await expectProblem(
      await call(strangerToken, "POST", `/webhooks/${endpoint.id}/deliveries/${log.id}/resend`),
      404,
      "NOT_FOUND",
    );
    await expectProblem(await call(strangerToken, "DELETE", `/webhooks/${endpoint.id}`), 404, "NOT_FOUND");

    const turnedOff = (await (
      await call(token, "PATCH", `/webhooks/${endpoint.id}`, { json: { enabled: false } })
    ).json()) as { enabled: boolean; disabledReason: string };
    expect(turnedOff).toMatchObject({ enabled: false, disabledReason: "owner" });
    await expectProblem(
      await call(token, "POST", `/webhooks/${endpoint.id}/deliveries/${log.id}/resend`),
      409,
      "CONFLICT",
      "webhook_endpoint_disabled",
    );

    // Usage: the generation's 2 credits, on this key.
    const usage = (await (await call(readOnly, "GET", "/usage?days=7")).json()) as {
      total: { credits: number };
      perDay: unknown[];
      perModel: Array<{ modelId: string; credits: number }>;
      perKey: Array<{ apiKeyId: string | null; credits: number }>;
    };
    expect(usage.total.credits).toBe(2);
    expect(usage.perDay).toHaveLength(7);
    expect(usage.perModel).toEqual([{ modelId: "animate", credits: 2, generations: 1 }]);
    expect(usage.perKey).toEqual([expect.objectContaining({ apiKeyId: token.split("_")[1], credits: 2 })]);

    const deleted = await call(token, "DELETE", `/webhooks/${endpoint.id}`);
    expect(await deleted.json()).toEqual({ id: endpoint.id, object: "webhook_endpoint", deleted: true });
    expect(((await (await call(token, "GET", "/webhooks")).json()) as { data: unknown[] }).data).toEqual([]);
  });

  it("serves its OpenAPI 3.1 document without a key, generated from the route schemas", async () => {
    const response = await handle(new Request(`${BASE}/openapi.json`));
    expect(response.status).toBe(200);
    const document = (await response.json()) as OpenApiDocument;
    expect(document.openapi).toBe("3.1.0");
    expect(document.servers).toEqual([{ url: BASE }]);
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(["Problem", "Generation", "Asset", "Model", "Quote"]),
    );
    expect(document.paths["/generations/{id}"]?.get?.responses["200"]?.content?.["application/json"]?.schema).toEqual({
      $ref: "#/components/schemas/Generation",
    });
    // A request schema is described as sent (defaults optional), a response as received (all present).
    const create = document.components.schemas.CreateGenerationRequest as { required: string[] };
    expect(create.required).not.toContain("private");
    expect((document.components.schemas.Generation as { required: string[] }).required).toContain("private");
    // The check can fail: a body that breaks the schema, or a status the document does not list, is refused.
    await expect(
      validator.check("GET", `/generations/${randomUUID()}`, Response.json({ id: 1, object: "generation" })),
    ).rejects.toThrow(/does not match the document/);
    await expect(validator.check("GET", "/models", Response.json({}, { status: 418 }))).rejects.toThrow(
      /does not list/,
    );
  });

  it("answered every documented endpoint, and every answer matched the OpenAPI document", () => {
    const succeeded = new Set(checked.filter((entry) => entry.status < 300).map((entry) => entry.operationId));
    expect([...validator.operationIds].filter((id) => !succeeded.has(id))).toEqual([]);
    // The failures were held to the document too (problem+json with the Problem schema).
    expect(checked.some((entry) => entry.status === 409)).toBe(true);
    expect(checked.some((entry) => entry.status === 429)).toBe(true);
  });
});
