// Per-IP limits key on an address the client cannot choose: the socket peer by default, or
// the entry a configured number of trusted proxies appended to X-Forwarded-For.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAddressFromHeaders, PEER_ADDRESS_HEADER } from "@animateimg/auth";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createMailer } from "@animateimg/email";
import { createSessionResolver } from "../auth/session-resolver";
import type { ApiDependencies } from "../trpc";
import { createTrpcFetchHandler } from "./trpc-fetch-handler";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

function handlerWith(trustedProxyHops: number) {
  const deps: ApiDependencies = {
    db: database.db,
    orchestrator: createOrchestrator({ client: () => Promise.reject(new Error("unused")), taskQueue: "unused" }),
    resolveSession: createSessionResolver(database.db),
    accounts: {
      mailer: createMailer({ db: database.db, from: "x@app.test" }),
      appUrl: "https://app.test",
      secureCookies: true,
      oauth: { appUrl: "https://app.test" },
      trustedProxyHops,
    },
  };
  return createTrpcFetchHandler({
    endpoint: "/api/trpc",
    getDependencies: () => deps,
    allowedOrigins: ["https://app.test"],
  });
}

const signUp = (handler: (req: Request) => Promise<Response>, n: number, headers: Record<string, string>) =>
  handler(
    new Request("https://app.test/api/trpc/auth.signUp", {
      method: "POST",
      headers: { host: "app.test", origin: "https://app.test", "content-type": "application/json", ...headers },
      body: JSON.stringify({
        json: {
          email: `spray-${n}-${Math.random()}@example.test`,
          password: "correct horse battery staple",
          name: "S",
          ageConfirmed: true,
        },
      }),
    }),
  );

describe("client address", () => {
  it("ignores X-Forwarded-For without trusted proxies: a changing header does not escape the sign-up limit", async () => {
    const handler = handlerWith(0);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const response = await signUp(handler, i, {
        [PEER_ADDRESS_HEADER]: "198.51.100.7",
        "x-forwarded-for": `203.0.113.${i}`,
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses[10]).toBe(429);
    // Another machine still gets in.
    expect((await signUp(handler, 99, { [PEER_ADDRESS_HEADER]: "198.51.100.8" })).status).toBe(200);
  });

  it("with N trusted proxies takes the address the outermost one saw, never what the client wrote", () => {
    const headers = (xff: string, peer = "10.0.0.2") =>
      new Headers({ "x-forwarded-for": xff, [PEER_ADDRESS_HEADER]: peer });
    // client → proxy (appends the client's address) → app
    expect(clientAddressFromHeaders(headers("198.51.100.20"), { trustedProxyHops: 1 })).toBe("198.51.100.20");
    expect(clientAddressFromHeaders(headers("6.6.6.6, 198.51.100.20"), { trustedProxyHops: 1 })).toBe("198.51.100.20");
    // client → CDN → load balancer → app
    expect(clientAddressFromHeaders(headers("6.6.6.6, 198.51.100.20, 10.0.0.9"), { trustedProxyHops: 2 })).toBe(
      "198.51.100.20",
    );
    // none trusted: the socket peer, whatever the header says
    expect(clientAddressFromHeaders(headers("6.6.6.6"), { trustedProxyHops: 0 })).toBe("10.0.0.2");
    expect(clientAddressFromHeaders(headers("6.6.6.6"))).toBe("10.0.0.2");
    expect(clientAddressFromHeaders(new Headers({ "x-forwarded-for": "6.6.6.6" }))).toBeNull();
    expect(clientAddressFromHeaders(headers("6.6.6.6", "::ffff:192.0.2.1"))).toBe("192.0.2.1");
    expect(clientAddressFromHeaders(headers("<script>, 1.2.3.4"), { trustedProxyHops: 2 })).toBeNull();
  });
});
