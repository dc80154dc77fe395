// A real request through the tRPC handler, the real session resolver and Postgres, with a
// known email, password, prompt and session token: the captured log lines carry the request
// id, procedure, status and hashed user, and none of those values.
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createMailer } from "@animateimg/email";
import { createLogger, createUserHasher } from "@animateimg/logging";
import { createSessionResolver } from "../auth/session-resolver";
import { createTrpcFetchHandler } from "./trpc-fetch-handler";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";

let database: TestDatabase;
let handler: (req: Request) => Promise<Response>;
const lines: string[] = [];
const hashUserId = createUserHasher("a test key that is long enough");
const email = `logged-${randomUUID().slice(0, 8)}@example.test`;
const password = "purple horse battery staple";
const prompt = "a zebra-unicorn-7781 dancing on the moon";

beforeAll(async () => {
  database = await createTestDatabase();
  const deps = {
    db: database.db,
    orchestrator: createOrchestrator({ client: () => Promise.reject(new Error("unused")), taskQueue: "unused" }),
    resolveSession: createSessionResolver(database.db),
    accounts: {
      mailer: createMailer({ db: database.db, from: "x@app.test" }),
      appUrl: "https://app.test",
      secureCookies: true,
      oauth: { appUrl: "https://app.test" },
    },
  };
  const destination = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  handler = createTrpcFetchHandler({
    endpoint: "/api/trpc",
    getDependencies: () => deps,
    allowedOrigins: ["https://app.test"],
    logging: { log: createLogger({ service: "web", destination }), hashUserId },
  });
});
afterAll(() => database?.drop());

const call = (procedure: string, input: unknown, headers: Record<string, string> = {}) =>
  handler(
    new Request(`https://app.test/api/trpc/${procedure}`, {
      method: "POST",
      headers: { host: "app.test", origin: "https://app.test", "content-type": "application/json", ...headers },
      body: JSON.stringify({ json: input }),
    }),
  );

describe("request logs", () => {
  it("carry the request id, procedure, status and user hash, never the email, password, prompt or session token", async () => {
    const signUp = await call("auth.signUp", { email, password, name: "Logged", ageConfirmed: true });
    expect(signUp.status).toBe(200);
    const cookie = signUp.headers.getSetCookie()[0]!.split(";")[0]!;
    const token = cookie.split("=")[1]!;
    const user = await database.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", email)
      .executeTakeFirstOrThrow();

    const validate = await call(
      "generation.validate",
      { modelId: "animate", prompt, params: {}, imageAssetId: randomUUID() },
      { cookie, "x-request-id": "edge-req-00000001" },
    );
    expect(validate.headers.get("x-request-id")).toBe("edge-req-00000001");

    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const signUpLine = records.find((r) => r.route === "/api/trpc/auth.signUp");
    expect(signUpLine).toMatchObject({ service: "web", msg: "request", method: "POST", status: 200 });
    expect(signUpLine?.durationMs).toEqual(expect.any(Number));
    expect(signUpLine?.requestId).toBe(signUp.headers.get("x-request-id"));
    expect(records.find((r) => r.route === "/api/trpc/generation.validate")).toMatchObject({
      requestId: "edge-req-00000001",
      userHash: hashUserId(user.id),
    });

    const text = lines.join("\n");
    for (const secret of [email, password, prompt, token, user.id]) expect(text).not.toContain(secret);
  });

  it("replaces an unusable incoming request id with its own", async () => {
    const response = await call("auth.providers", undefined, { "x-request-id": "bad id\twith tabs" });
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
