import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOAuthServer, type FakeOAuthServer } from "@animateimg/auth/testing";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createMailer } from "@animateimg/email";
import { createSessionResolver } from "../auth/session-resolver";
import { createCaller } from "../root";
import { createTRPCContext, type ApiDependencies } from "../trpc";
import { handleOAuthCallback, handleOAuthStart } from "./oauth-handlers";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";

let database: TestDatabase;
let fake: FakeOAuthServer;
let deps: ApiDependencies;
const appUrl = "http://app.test";

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeOAuthServer();
  deps = {
    db: database.db,
    orchestrator: createOrchestrator({ client: () => Promise.reject(new Error("unused")), taskQueue: "unused" }),
    resolveSession: createSessionResolver(database.db),
    accounts: {
      mailer: createMailer({ db: database.db, from: "x@app.test" }),
      appUrl,
      secureCookies: true,
      oauth: { appUrl, github: fake.github, google: fake.google },
    },
  };
});
afterAll(async () => {
  await fake?.close();
  await database?.drop();
});

/** A cookie jar over Set-Cookie lines (names are enough for these paths). */
function applyCookies(jar: Map<string, string>, response: Response): void {
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(";")[0]!;
    const name = pair.slice(0, pair.indexOf("="));
    const value = pair.slice(pair.indexOf("=") + 1);
    if (/Max-Age=0/i.test(line) || value === "") jar.delete(name);
    else jar.set(name, value);
  }
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

async function browserFlow(provider: "github" | "google", jar: Map<string, string>, query: string) {
  const start = handleOAuthStart(new Request(`${appUrl}/api/auth/${provider}/start?${query}`), provider, deps);
  expect(start.status).toBe(302);
  const flowCookie = start.headers.getSetCookie().find((c) => c.startsWith("animateimg_oauth="))!;
  expect(flowCookie).toMatch(/; Path=\/api\/auth; HttpOnly; SameSite=Lax; Secure; Max-Age=600$/);
  applyCookies(jar, start);
  const atProvider = await fetch(start.headers.get("location")!, { redirect: "manual" });
  const callbackUrl = atProvider.headers.get("location")!;
  expect(callbackUrl.startsWith(`${appUrl}/api/auth/${provider}/callback?`)).toBe(true);
  const callback = await handleOAuthCallback(
    new Request(callbackUrl, { headers: { cookie: cookieHeader(jar), "user-agent": "Mozilla/5.0 Firefox/133.0" } }),
    provider,
    deps,
  );
  applyCookies(jar, callback);
  return { callback, callbackUrl };
}

async function me(jar: Map<string, string>) {
  const caller = createCaller(await createTRPCContext({ deps, headers: new Headers({ cookie: cookieHeader(jar) }) }));
  return caller.auth.me();
}

describe("OAuth route handlers against the fake GitHub/Google", () => {
  it("signs up with GitHub through start → provider → callback, setting the session cookie", async () => {
    fake.setGitHubUser({
      id: 9001,
      login: "route",
      name: "Route Tester",
      avatarUrl: null,
      emails: [{ email: "route@example.test", primary: true, verified: true }],
    });
    const jar = new Map<string, string>();
    const { callback } = await browserFlow("github", jar, "intent=sign-in&ageConfirmed=1&returnTo=/settings");
    expect(callback.headers.get("location")).toBe(`${appUrl}/settings`);
    expect(jar.has("animateimg_oauth")).toBe(false);
    expect(jar.get("animateimg_session")).toMatch(/^[a-z2-7]{24}\.[a-z2-7]{24}$/);
    expect(await me(jar)).toMatchObject({ email: "route@example.test", emailVerified: true, hasPassword: false });
  });

  it("refuses a callback whose state was forged, or that arrives in a browser that did not start it", async () => {
    fake.setGoogleUser({
      sub: "route-g",
      email: "route-g@example.test",
      emailVerified: true,
      name: "G",
      picture: null,
    });
    const start = handleOAuthStart(new Request(`${appUrl}/api/auth/google/start?ageConfirmed=1`), "google", deps);
    const atProvider = await fetch(start.headers.get("location")!, { redirect: "manual" });
    const callbackUrl = new URL(atProvider.headers.get("location")!);
    const jar = new Map<string, string>();
    applyCookies(jar, start);

    // Another browser (no flow cookie) — e.g. a victim lured to the attacker's callback URL.
    const elsewhere = await handleOAuthCallback(new Request(callbackUrl), "google", deps);
    expect(elsewhere.headers.get("location")).toMatch(
      /^http:\/\/app\.test\/sign-in\?error=This%20sign-in%20attempt%20expired/,
    );
    expect(elsewhere.headers.getSetCookie().some((c) => c.startsWith("animateimg_session="))).toBe(false);

    const forged = new URL(callbackUrl);
    forged.searchParams.set("state", "forged");
    const refused = await handleOAuthCallback(
      new Request(forged, { headers: { cookie: cookieHeader(jar) } }),
      "google",
      deps,
    );
    expect(refused.headers.get("location")).toContain("/sign-in?error=");
    expect(refused.headers.getSetCookie().some((c) => c.startsWith("animateimg_session="))).toBe(false);
  });

  it("sends a sign-up without the 13+ confirmation back to the sign-up page", async () => {
    fake.setGitHubUser({
      id: 9002,
      login: "kid",
      name: "Kid",
      avatarUrl: null,
      emails: [{ email: "kid@example.test", primary: true, verified: true }],
    });
    const { callback } = await browserFlow("github", new Map(), "intent=sign-in");
    expect(callback.headers.get("location")).toMatch(/^http:\/\/app\.test\/sign-up\?error=.*13%20or%20older/);
    // The reason travels beside the English, so the page words it in the reader's language.
    expect(new URL(callback.headers.get("location")!).searchParams.get("reason")).toBe("oauth_age_not_confirmed");
  });

  it("links Google to the signed-in account and returns to the providers settings", async () => {
    const jar = new Map<string, string>();
    fake.setGitHubUser({
      id: 9003,
      login: "linker",
      name: "Linker",
      avatarUrl: null,
      emails: [{ email: "linker@example.test", primary: true, verified: true }],
    });
    await browserFlow("github", jar, "ageConfirmed=1");
    const sessionBefore = jar.get("animateimg_session");
    fake.setGoogleUser({
      sub: "linker-g",
      email: "linker.g@example.test",
      emailVerified: true,
      name: "Linker G",
      picture: null,
    });
    const { callback } = await browserFlow("google", jar, "intent=link&returnTo=/settings");
    expect(callback.headers.get("location")).toBe(`${appUrl}/settings?section=providers&linked=google`);
    expect(jar.get("animateimg_session")).toBe(sessionBefore);
    const account = await me(jar);
    expect(account?.linkedProviders.map((p) => p.provider)).toEqual(["github", "google"]);
  });

  it("answers an unknown provider with a readable error", () => {
    const response = handleOAuthStart(new Request(`${appUrl}/api/auth/myspace/start`), "myspace", deps);
    expect(response.headers.get("location")).toBe(
      `${appUrl}/sign-in?error=Unknown%20sign-in%20provider.&reason=oauth_unknown_provider`,
    );
  });
});
