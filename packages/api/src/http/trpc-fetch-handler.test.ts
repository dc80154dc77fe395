import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createMailer } from "@animateimg/email";
import { createSessionResolver } from "../auth/session-resolver";
import { createTrpcFetchHandler } from "./trpc-fetch-handler";
import { PEER_ADDRESS_HEADER } from "@animateimg/auth";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";

let database: TestDatabase;
let handler: (req: Request) => Promise<Response>;

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
  handler = createTrpcFetchHandler({
    endpoint: "/api/trpc",
    getDependencies: () => deps,
    allowedOrigins: ["https://app.test"],
  });
});
afterAll(() => database?.drop());

const signUpBody = JSON.stringify({
  json: { email: "csrf@example.test", password: "correct horse battery staple", name: "C", ageConfirmed: true },
});

function post(headers: Record<string, string>, body: string | FormData = signUpBody) {
  return handler(
    new Request("https://app.test/api/trpc/auth.signUp", {
      method: "POST",
      headers: { host: "app.test", ...headers },
      body,
    }),
  );
}

describe("tRPC HTTP handler Origin check", () => {
  it("refuses a mutation from another site with 403, before any procedure runs", async () => {
    const response = await post({ origin: "https://evil.example", "content-type": "application/json" });
    expect(response.status).toBe(403);
    expect(await database.db.selectFrom("users").select("id").execute()).toHaveLength(0);
  });

  it("refuses a missing Origin and a form-data POST (no preflight) from a foreign page", async () => {
    expect((await post({ "content-type": "application/json" })).status).toBe(403);
    const form = new FormData();
    form.set("email", "csrf@example.test");
    expect((await post({ origin: "https://evil.example" }, form)).status).toBe(403);
    expect((await post({ origin: "null" }, form)).status).toBe(403);
  });

  it("accepts our own Origin and sets the session cookie; queries (GET) need no Origin", async () => {
    const response = await post({ origin: "https://app.test", "content-type": "application/json" });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie().join("\n")).toMatch(
      /^animateimg_session=[a-z2-7]{24}\.[a-z2-7]{24}; Path=\/; HttpOnly; SameSite=Lax; Secure/m,
    );
    const me = await handler(
      new Request("https://app.test/api/trpc/auth.providers", { headers: { host: "app.test" } }),
    );
    expect(me.status).toBe(200);
  });

  it("accepts an Origin that matches the Host the browser addressed (the procedure answers)", async () => {
    const response = await handler(
      new Request("http://localhost:4100/api/trpc/auth.signIn", {
        method: "POST",
        headers: { host: "localhost:4100", origin: "http://localhost:4100", "content-type": "application/json" },
        body: JSON.stringify({ json: { email: "nobody@example.test", password: "whatever it is" } }),
      }),
    );
    expect(response.status).toBe(401);
    expect(JSON.stringify(await response.json())).toContain("Incorrect email or password.");
  });

  it("answers a rate-limited request with 429 and Retry-After", async () => {
    let response: Response | undefined;
    for (let i = 0; i < 12; i++) {
      response = await handler(
        new Request("https://app.test/api/trpc/auth.signIn", {
          method: "POST",
          headers: {
            host: "app.test",
            origin: "https://app.test",
            "content-type": "application/json",
            [PEER_ADDRESS_HEADER]: `192.0.2.${i}`,
          },
          body: JSON.stringify({ json: { email: "hammered@example.test", password: "guess number " + i } }),
        }),
      );
      if (response.status === 429) break;
    }
    expect(response!.status).toBe(429);
    expect(Number(response!.headers.get("retry-after"))).toBeGreaterThan(800);
    const body = (await response!.json()) as { error: { json: { data: { retryAfterSeconds: number } } } };
    expect(body.error.json.data.retryAfterSeconds).toBe(Number(response!.headers.get("retry-after")));
  });
});
