// What a client sees when something goes wrong: always tRPC's error shape, a sentence a
// person can act on, never a database's or any other internal text.
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createMailer } from "@animateimg/email";
import { createSessionResolver } from "../auth/session-resolver";
import type { AppRouter } from "../root";
import type { ApiDependencies } from "../trpc";
import { createTrpcFetchHandler } from "./trpc-fetch-handler";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";

let database: TestDatabase;
let deps: ApiDependencies;
let handler: (req: Request) => Promise<Response>;
let sessionCookie: string;

const ORIGIN = "https://app.test";

beforeAll(async () => {
  database = await createTestDatabase();
  deps = {
    db: database.db,
    orchestrator: createOrchestrator({ client: () => Promise.reject(new Error("unused")), taskQueue: "unused" }),
    resolveSession: createSessionResolver(database.db),
    accounts: {
      mailer: createMailer({ db: database.db, from: "x@app.test" }),
      appUrl: ORIGIN,
      secureCookies: true,
      oauth: { appUrl: ORIGIN },
    },
  };
  handler = createTrpcFetchHandler({ endpoint: "/api/trpc", getDependencies: () => deps, allowedOrigins: [ORIGIN] });
  const signUp = await handler(
    new Request(`${ORIGIN}/api/trpc/auth.signUp`, {
      method: "POST",
      headers: { host: "app.test", origin: ORIGIN, "content-type": "application/json" },
      body: JSON.stringify({
        json: { email: "errors@example.test", password: "correct horse battery staple", name: "E", ageConfirmed: true },
      }),
    }),
  );
  expect(signUp.status).toBe(200);
  sessionCookie = signUp.headers.getSetCookie()[0]!.split(";")[0]!;
});
afterAll(() => database?.drop());

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const uuid = "3f1c2a4e-8b7d-4c6a-9e5f-1a2b3c4d5e6f";
const craftedCursors = [
  cursorOf(["2026-01-01T00:00:00.000Z", "not-a-uuid"]),
  cursorOf(["2026-01-01T00:00:00.000Z", "1' or '1'='1"]),
  cursorOf(["+275000-01-01T00:00:00.000Z", uuid]),
  cursorOf(["-100000-01-01T00:00:00.000Z", uuid]),
  cursorOf(["1970-01-01T00:00:00.000Z", uuid]),
  cursorOf({ at: "2026-01-01", id: uuid }),
  cursorOf(["2026-01-01T00:00:00.000Z", 42]),
  "%%%not-base64%%%",
];

interface ErrorBody {
  error: {
    json: {
      message: string;
      code: number;
      data: {
        code: string;
        httpStatus: number;
        reason: string | null;
        stack?: string;
        fieldErrors: Record<string, string[]> | null;
      };
    };
  };
}

async function query(path: string, input: unknown, headers: Record<string, string> = {}) {
  const url = `${ORIGIN}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  return handler(new Request(url, { headers: { host: "app.test", ...headers } }));
}

describe("errors reach the client typed and readable", () => {
  it("answers a crafted gallery cursor (public, anonymous) with a typed 400, never Postgres's text", async () => {
    for (const cursor of craftedCursors) {
      const response = await query("gallery.list", { limit: 5, cursor });
      expect(response.status, cursor).toBe(400);
      const body = (await response.json()) as ErrorBody;
      expect(body.error.json.data.code).toBe("BAD_REQUEST");
      expect(body.error.json.data.reason).toBe("invalid_cursor");
      expect(body.error.json.message).toBe("That page link is no longer valid. Reload the gallery.");
    }
  });

  it("answers a crafted activity cursor with a typed 400", async () => {
    for (const cursor of craftedCursors) {
      const response = await query("generation.list", { limit: 5, cursor }, { cookie: sessionCookie });
      expect(response.status, cursor).toBe(400);
      const body = (await response.json()) as ErrorBody;
      expect(body.error.json.data.reason).toBe("invalid_cursor");
      expect(JSON.stringify(body)).not.toMatch(/invalid input syntax|uuid|timestamp|postgres|select/i);
    }
  });

  it("hides internal failures behind one sentence, with no stack or SQL", async () => {
    const failing = createTrpcFetchHandler({
      endpoint: "/api/trpc",
      getDependencies: () => ({
        ...deps,
        resolveSession: () =>
          Promise.reject(new Error('relation "sessions" does not exist (db-primary.internal:5432)')),
      }),
      allowedOrigins: [ORIGIN],
    });
    const response = await failing(new Request(`${ORIGIN}/api/trpc/auth.providers`, { headers: { host: "app.test" } }));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("sessions");
    expect(text).not.toContain("db-primary");
    const body = JSON.parse(text) as ErrorBody;
    expect(body.error.json.message).toBe("Something went wrong on our side. Please try again in a moment.");
    expect(body.error.json.data.stack).toBeUndefined();
  });

  it("turns input validation issues into sentences and keeps the per-field errors", async () => {
    const response = await query("gallery.list", { limit: "many", cursor: "x".repeat(300), modelId: 7 });
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    const message = body.error.json.message;
    expect(message).toMatch(/^Please check the request: /);
    expect(message).toContain("“cursor” can be at most 200 characters long");
    expect(message).toContain("“limit” should be a number");
    expect(message).not.toContain("{");
    expect(message).not.toContain('"code"');
    expect(body.error.json.data.reason).toBe("invalid_input");
    expect(Object.keys(body.error.json.data.fieldErrors ?? {})).toEqual(expect.arrayContaining(["limit", "cursor"]));
  });

  it("refuses a foreign Origin in tRPC's shape, so the official client shows the sentence", async () => {
    const client = createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: `${ORIGIN}/api/trpc`,
          transformer: superjson,
          fetch: (url, init) =>
            handler(
              new Request(String(url), {
                ...(init as RequestInit),
                headers: {
                  ...(init?.headers as Record<string, string>),
                  host: "app.test",
                  origin: "https://evil.example",
                },
              }),
            ),
        }),
      ],
    });
    const [one, two] = await Promise.allSettled([
      client.auth.signIn.mutate({ email: "victim@example.test", password: "whatever it is" }),
      client.auth.signOut.mutate(),
    ]);
    for (const result of [one, two]) {
      expect(result.status).toBe("rejected");
      const error = (result as PromiseRejectedResult).reason as TRPCClientError<AppRouter>;
      expect(error).toBeInstanceOf(TRPCClientError);
      expect(error.message).toMatch(/^This request came from another site and was refused\./);
      expect(error.data?.code).toBe("FORBIDDEN");
      expect(error.data?.httpStatus).toBe(403);
    }
  });

  it("takes a query by POST, so a legal 2,000-character CJK prompt never makes a 431", async () => {
    const prompt = "猫".repeat(2000); // 6 KB of UTF-8, about 18 KB once percent-encoded in a URL
    const input = { modelId: "veo-3.1" as const, prompt, params: {}, imageAssetId: uuid };
    expect(encodeURIComponent(JSON.stringify({ json: input })).length).toBeGreaterThan(16 * 1024);
    const client = createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: `${ORIGIN}/api/trpc`,
          transformer: superjson,
          methodOverride: "POST",
          fetch: (url, init) => {
            expect(init?.method).toBe("POST");
            return handler(
              new Request(String(url), {
                ...(init as RequestInit),
                headers: {
                  ...(init?.headers as Record<string, string>),
                  host: "app.test",
                  origin: ORIGIN,
                  cookie: sessionCookie,
                },
              }),
            );
          },
        }),
      ],
    });
    // The procedure runs and answers about the request itself (the photo is not ours).
    await expect(client.generation.validate.query(input)).rejects.toMatchObject({
      message: "That upload was not found. Upload the file again.",
      data: { code: "NOT_FOUND" },
    });
  });
});
