// withRequestLog around the real REST handler, API key authentication and Postgres: one line
// per request with the route template, status, duration and the key owner's hash; the API key,
// the path's ids and the user id stay out; x-request-id is answered, even on immutable responses.
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@animateimg/auth";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createLogger, createUserHasher } from "@animateimg/logging";
import { createFundedUser } from "@animateimg/workflows/testing/generation-fixtures";
import { createRestApiHandler } from "../rest/rest-http-handler";
import type { ApiDependencies } from "../trpc";
import { withRequestLog } from "./request-log";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";

let database: TestDatabase;
const lines: string[] = [];
const hashUserId = createUserHasher("another test key, long enough");
const log = createLogger({
  service: "web",
  destination: new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  }),
});
const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

describe("withRequestLog", () => {
  it("logs a REST request by route template with the API key owner's hash, never the key or the user id", async () => {
    const userId = await createFundedUser(database.db, 5);
    const { token } = await createApiKey(database.db, { userId, name: "logs", scopes: ["read"] });
    const deps = {
      db: database.db,
      orchestrator: createOrchestrator({ client: () => Promise.reject(new Error("unused")), taskQueue: "unused" }),
      resolveSession: () => Promise.resolve(null),
    } as ApiDependencies;
    const handler = withRequestLog("/api/v1", createRestApiHandler({ getDependencies: () => deps }), {
      log,
      hashUserId,
    });
    const missingId = "0b6f3c52-4a4e-4c7e-9a57-1c1f0f5d9e11";
    const found = await handler(
      new Request("http://api.test/api/v1/generations?limit=5", { headers: { authorization: `Bearer ${token}` } }),
    );
    const missing = await handler(
      new Request(`http://api.test/api/v1/generations/${missingId}`, {
        headers: { authorization: `Bearer ${token}`, "x-request-id": "proxy-req-000042" },
      }),
    );
    const refused = await handler(
      new Request("http://api.test/api/v1/generations", { headers: { authorization: "Bearer aimg_not_a_key" } }),
    );
    expect([found.status, missing.status, refused.status]).toEqual([200, 404, 401]);
    expect(missing.headers.get("x-request-id")).toBe("proxy-req-000042");

    const [first, second, third] = records().filter((r) => r.msg === "request");
    expect(first).toMatchObject({
      route: "GET /api/v1/generations",
      method: "GET",
      status: 200,
      userHash: hashUserId(userId),
      requestId: found.headers.get("x-request-id"),
    });
    expect(second).toMatchObject({
      route: "GET /api/v1/generations/{id}",
      status: 404,
      userHash: hashUserId(userId),
      requestId: "proxy-req-000042",
    });
    expect(third).toMatchObject({ route: "GET /api/v1/generations", status: 401 });
    expect(third).not.toHaveProperty("userHash");
    const text = lines.join("\n");
    for (const secret of [token, userId, missingId, "aimg_not_a_key"]) expect(text).not.toContain(secret);
  });

  it("answers x-request-id on a redirect (immutable headers), logs a thrown error with its request id, and logs once when nested", async () => {
    const redirect = withRequestLog(
      "/api/auth/[provider]/start",
      () => Promise.resolve(Response.redirect("https://elsewhere.test/", 302)),
      { log, hashUserId },
    );
    const response = await redirect(new Request("http://app.test/api/auth/github/start"));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("https://elsewhere.test/");
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);

    const failing = withRequestLog("/api/boom", () => Promise.reject(new Error("disk full")), { log, hashUserId });
    await expect(
      failing(new Request("http://app.test/api/boom", { headers: { "x-request-id": "boom-req-0001" } })),
    ).rejects.toThrow("disk full");
    const boom = records().filter((r) => r.requestId === "boom-req-0001");
    expect(boom).toHaveLength(2);
    expect(boom[0]).toMatchObject({ msg: "request failed", level: 50, err: { message: "disk full" } });
    expect(boom[1]).toMatchObject({ msg: "request", route: "/api/boom", status: 500, level: 50 });

    const before = lines.length;
    const inner = withRequestLog("/inner", () => Promise.resolve(new Response("ok")), { log, hashUserId });
    const outer = withRequestLog("/outer", (req: Request) => inner(req), { log, hashUserId });
    await outer(new Request("http://app.test/outer"));
    expect(records().slice(before)).toEqual([expect.objectContaining({ route: "/outer", status: 200 })]);
  });
});
