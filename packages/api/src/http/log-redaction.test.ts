// Issue 11: what the logs of a real generation hold. A user signs up (email, password) through
// the tRPC handler, makes an API key, starts a generation with a prompt through the REST API
// (Bearer key), reads it back through tRPC (session cookie) and a real worker renders it. Every
// line the web handlers and the worker (Temporal's runtime logger, activity lines) write is
// captured: the email, password, prompt, API key, session token and raw user id appear nowhere,
// while the request ids, the workflow id and the generation id (on activity lines, with type
// and attempt) do.
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@animateimg/auth";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createMailer } from "@animateimg/email";
import { waitFor } from "@animateimg/local-services";
import { createLogger, createUserHasher } from "@animateimg/logging";
import { grantCredits } from "@animateimg/billing";
import { generationWorkflowId } from "@animateimg/workflows/workflow-ids";
import { createTestBlobStore, startTestWorker, testPayloadKeys, type TestWorker } from "@animateimg/workflows/testing";
import { createPhotoAsset } from "@animateimg/workflows/testing/generation-fixtures";
import { installWorkerLogging } from "@animateimg/workflows/worker-logging";
import { createSessionResolver } from "../auth/session-resolver";
import { createRestApiHandler } from "../rest/rest-http-handler";
import type { ApiDependencies } from "../trpc";
import { withRequestLog } from "./request-log";
import { createTrpcFetchHandler } from "./trpc-fetch-handler";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";

const lines: string[] = [];
const capture = new Writable({
  write(chunk: Buffer, _e, done) {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    done();
  },
});
// Debug: the worker's activity lifecycle lines ("Activity started/completed") are written too.
const workerLog = createLogger({ service: "worker", level: "debug", destination: capture });
const webLog = createLogger({ service: "web", level: "debug", destination: capture });
const hashUserId = createUserHasher("the redaction test's hash key");
const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

const email = `redact-${randomUUID().slice(0, 8)}@example.test`;
const password = "violet kestrel harbour 4417";
const prompt = "a cobalt-fox-3391 leaping over the aurora";

let database: TestDatabase;
let worker: TestWorker;
const blobStore = createTestBlobStore();
let trpc: (req: Request) => Promise<Response>;
let rest: (req: Request) => Promise<Response>;

beforeAll(async () => {
  // Before the worker: Temporal's runtime (one per process) logs through pino from the start.
  installWorkerLogging(workerLog);
  database = await createTestDatabase();
  worker = await startTestWorker({ db: database.db, deps: { blobStore } });
  const deps: ApiDependencies = {
    db: database.db,
    orchestrator: createOrchestrator({
      client: () => Promise.resolve(worker.client),
      taskQueue: worker.taskQueue,
      undoWindow: "1 second",
    }),
    resolveSession: createSessionResolver(database.db),
    accounts: {
      mailer: createMailer({ db: database.db, from: "x@app.test" }),
      appUrl: "https://app.test",
      secureCookies: true,
      oauth: { appUrl: "https://app.test" },
    },
  };
  trpc = createTrpcFetchHandler({
    endpoint: "/api/trpc",
    getDependencies: () => deps,
    allowedOrigins: ["https://app.test"],
    logging: { log: webLog, hashUserId },
  });
  rest = withRequestLog("/api/v1", createRestApiHandler({ getDependencies: () => deps }), { log: webLog, hashUserId });
});
afterAll(async () => {
  await worker?.shutdown();
  await database?.drop();
});

const trpcCall = (procedure: string, input: unknown, headers: Record<string, string> = {}) =>
  trpc(
    new Request(`https://app.test/api/trpc/${procedure}`, {
      method: "POST",
      headers: { host: "app.test", origin: "https://app.test", "content-type": "application/json", ...headers },
      body: JSON.stringify({ json: input }),
    }),
  );

describe("log redaction, end to end", () => {
  it("a generation through the web handlers and a real worker leaves no email, password, prompt, key or token in any log line", async () => {
    const signUp = await trpcCall("auth.signUp", { email, password, name: "Redacted", ageConfirmed: true });
    expect(signUp.status).toBe(200);
    const cookie = signUp.headers.getSetCookie()[0]!.split(";")[0]!;
    const sessionToken = cookie.split("=")[1]!;
    const user = await database.db
      .updateTable("users")
      .set({ email_verified_at: new Date() })
      .where("email", "=", email)
      .returning("id")
      .executeTakeFirstOrThrow();
    await grantCredits(database.db, {
      userId: user.id,
      amount: 10,
      kind: "grant",
      idempotencyKey: `redaction:${user.id}`,
      reason: "test",
    });
    const { token: apiKey } = await createApiKey(database.db, {
      userId: user.id,
      name: "redaction",
      scopes: ["read", "generate"],
    });
    const imageAssetId = await createPhotoAsset(database.db, blobStore, user.id);

    const created = await rest(
      new Request("https://app.test/api/v1/generations", {
        method: "POST",
        headers: {
          authorization: `Bearer ${apiKey}`,
          "content-type": "application/json",
          "idempotency-key": randomUUID(),
          "x-request-id": "redaction-create-0001",
        },
        body: JSON.stringify({
          modelId: "animate",
          prompt,
          params: { durationSeconds: 2, resolution: "480p", cameraMove: "zoom_in", easing: "linear" },
          imageAssetId,
        }),
      }),
    );
    expect(created.status).toBe(201);
    const generationId = ((await created.json()) as { id: string }).id;
    await waitFor(
      "the generation to succeed",
      async () => {
        const response = await trpc(
          new Request(
            `https://app.test/api/trpc/generation.byId?input=${encodeURIComponent(JSON.stringify({ json: { generationId } }))}`,
            { headers: { host: "app.test", cookie } },
          ),
        );
        const body = (await response.json()) as { result?: { data?: { json?: { status?: string } } } };
        return body.result?.data?.json?.status === "succeeded" ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );

    const all = records();
    // The web: each request's line, the REST one under the id the caller sent.
    expect(all.find((r) => r.route === "POST /api/v1/generations")).toMatchObject({
      service: "web",
      requestId: "redaction-create-0001",
      status: 201,
      userHash: hashUserId(user.id),
    });
    expect(all.find((r) => r.route === "/api/trpc/generation.byId")).toMatchObject({
      service: "web",
      status: 200,
      userHash: hashUserId(user.id),
    });
    // The worker: activity lines carry workflow id, generation id, activity type and attempt.
    const activityLines = all.filter((r) => r.service === "worker" && r.generationId === generationId);
    expect(activityLines.length).toBeGreaterThan(0);
    for (const line of activityLines) {
      expect(line.workflowId).toBe(generationWorkflowId(generationId));
      expect(typeof line.activityType).toBe("string");
      expect(typeof line.attempt).toBe("number");
    }
    expect(new Set(activityLines.map((r) => r.activityType))).toContain("renderWithAnimateEngine");
    expect(all.some((r) => "taskToken" in r)).toBe(false);

    const text = lines.join("\n");
    const [, , keySecret] = apiKey.split("_");
    // Temporal's debug lines describe the worker's options (its payload codec among them).
    const payloadKey = Buffer.from([...testPayloadKeys.keys.values()][0]!);
    for (const secret of [
      email,
      password,
      prompt,
      apiKey,
      keySecret!,
      sessionToken,
      user.id,
      payloadKey.toString("hex"),
      payloadKey.toString("base64"),
    ])
      expect(text, `a log line holds ${secret}`).not.toContain(secret);
  });
});
