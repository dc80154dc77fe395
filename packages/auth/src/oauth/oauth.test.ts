import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@animateimg/core";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createMailer, listOutbox, type Mailer } from "@animateimg/email";
import { ensureDemoUser } from "../ensure-demo-user";
import { startFakeOAuthServer, type FakeOAuthServer } from "../testing/fake-oauth-server";
import { validateSessionToken } from "../sessions";
import type { OAuthConfig } from "./oauth-config";
import { completeOAuthFlow, startOAuthFlow, type OAuthIntent } from "./oauth-flow";
import { signInWithOAuth, unlinkOAuthProvider } from "./sign-in-with-oauth";

let database: TestDatabase;
let fake: FakeOAuthServer;
let config: OAuthConfig;
let mailer: Mailer;
const appUrl = "http://app.test";
const request = {
  ip: "203.0.113.5",
  userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
};

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeOAuthServer();
  config = { appUrl, github: fake.github, google: fake.google };
  mailer = createMailer({ db: database.db, from: "x@app.test" });
});
afterAll(async () => {
  await fake?.close();
  await database?.drop();
});

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Plays the browser: start, follow the provider's redirect back, return the callback query. */
async function authorize(provider: "github" | "google", intent: OAuthIntent = "sign-in", ageConfirmed = true) {
  const { url, cookieValue } = startOAuthFlow({ config, provider, intent, ageConfirmed, returnTo: "/settings" });
  const response = await fetch(url, { redirect: "manual" });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("location")!);
  expect(`${location.origin}${location.pathname}`).toBe(`${appUrl}/api/auth/${provider}/callback`);
  return { params: location.searchParams, cookieValue, url };
}

async function signIn(
  provider: "github" | "google",
  options: { intent?: OAuthIntent; ageConfirmed?: boolean; currentUserId?: string } = {},
) {
  const { params, cookieValue } = await authorize(provider, options.intent, options.ageConfirmed ?? true);
  const { profile, flow } = await completeOAuthFlow({ config, provider, params, cookieValue });
  expect(flow.returnTo).toBe("/settings");
  return signInWithOAuth(database.db, {
    mailer,
    appUrl,
    profile,
    flow,
    currentUserId: options.currentUserId ?? null,
    request,
  });
}

describe("GitHub", () => {
  it("creates an account from a verified primary email, storing only ids, email, name and avatar", async () => {
    fake.setGitHubUser({
      id: 1001,
      login: "octocat",
      name: "The Octocat",
      avatarUrl: "https://avatars.example/octocat.png",
      emails: [
        { email: "octo-old@example.test", primary: false, verified: false },
        { email: "octocat@example.test", primary: true, verified: true },
      ],
    });
    const { params } = await authorize("github");
    expect(params.get("code")).toBeTruthy();

    const outcome = await signIn("github");
    expect(outcome).toMatchObject({ createdUser: true, linked: true });
    const user = await database.db
      .selectFrom("users")
      .selectAll()
      .where("id", "=", outcome.userId)
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({
      email: "octocat@example.test",
      name: "The Octocat",
      password_hash: null,
      avatar_url: "https://avatars.example/octocat.png",
    });
    expect(user.email_verified_at).toBeInstanceOf(Date);
    const link = await database.db
      .selectFrom("oauth_accounts")
      .selectAll()
      .where("user_id", "=", outcome.userId)
      .execute();
    expect(link).toEqual([
      expect.objectContaining({ provider: "github", provider_user_id: "1001", email: "octocat@example.test" }),
    ]);
    expect(Object.keys(link[0]!).sort()).toEqual(["created_at", "email", "provider", "provider_user_id", "user_id"]);
    expect(await validateSessionToken(database.db, { token: outcome.session!.token })).not.toBeNull();

    // Basic client authentication and PKCE, as Arctic sends them.
    const last = fake.tokenRequests.at(-1)!;
    expect(last.authorization).toMatch(/^Basic /);
    expect(last.body.code_verifier).toBeTruthy();

    // Signing in again finds the same account and issues a new session token.
    const again = await signIn("github");
    expect(again).toMatchObject({ userId: outcome.userId, createdUser: false });
    expect(again.session!.token).not.toBe(outcome.session!.token);
  });

  it("refuses a forged or missing state, and a flow started for another provider", async () => {
    const { params, cookieValue } = await authorize("github");
    const forged = new URLSearchParams(params);
    forged.set("state", "attacker-chosen-state");
    expect(
      await rejection(completeOAuthFlow({ config, provider: "github", params: forged, cookieValue })),
    ).toMatchObject({
      code: "FORBIDDEN",
      reason: "oauth_state_mismatch",
    });
    expect((await rejection(completeOAuthFlow({ config, provider: "github", params, cookieValue: null }))).code).toBe(
      "FORBIDDEN",
    );
    expect((await rejection(completeOAuthFlow({ config, provider: "google", params, cookieValue }))).code).toBe(
      "FORBIDDEN",
    );
    // The cookie is short-lived: ten minutes later the same callback is refused.
    expect(
      (
        await rejection(
          completeOAuthFlow({
            config,
            provider: "github",
            params,
            cookieValue,
            now: new Date(Date.now() + 11 * 60_000),
          }),
        )
      ).code,
    ).toBe("FORBIDDEN");
    // The genuine callback still works once, and a replayed code is refused by GitHub (HTTP 200 + error).
    await completeOAuthFlow({ config, provider: "github", params, cookieValue });
    expect(await rejection(completeOAuthFlow({ config, provider: "github", params, cookieValue }))).toMatchObject({
      code: "UNAUTHORIZED",
      reason: "oauth_failed",
    });
  });

  it("reports a cancelled authorization clearly", async () => {
    fake.denyNext();
    const { params, cookieValue } = await authorize("github");
    expect(params.get("error")).toBe("access_denied");
    const error = await rejection(completeOAuthFlow({ config, provider: "github", params, cookieValue }));
    expect(error.message).toBe("You cancelled signing in with GitHub.");
  });

  it("does not join an existing account when the provider has not verified the email", async () => {
    await ensureDemoUser(database.db, { email: "victim@example.test", password: "victim-pass-1", name: "Victim" });
    fake.setGitHubUser({
      id: 2002,
      login: "claimer",
      name: null,
      avatarUrl: null,
      emails: [{ email: "victim@example.test", primary: true, verified: false }],
    });
    const error = await rejection(signIn("github"));
    expect(error).toMatchObject({ code: "CONFLICT", reason: "oauth_email_unverified" });
    expect(
      await database.db.selectFrom("oauth_accounts").select("user_id").where("provider_user_id", "=", "2002").execute(),
    ).toHaveLength(0);
  });

  it("will not create an account without the 13+ confirmation", async () => {
    fake.setGitHubUser({
      id: 3003,
      login: "young",
      name: "Young",
      avatarUrl: null,
      emails: [{ email: "young@example.test", primary: true, verified: true }],
    });
    expect(await rejection(signIn("github", { ageConfirmed: false }))).toMatchObject({
      code: "PRECONDITION_FAILED",
      reason: "oauth_age_not_confirmed",
    });
  });
});

describe("Google", () => {
  it("uses PKCE and links to an existing account when Google says the email is verified", async () => {
    const existing = await ensureDemoUser(database.db, {
      email: "grace@example.test",
      password: "grace-pass-1",
      name: "Grace",
    });
    fake.setGoogleUser({
      sub: "google-sub-1",
      email: "grace@example.test",
      emailVerified: true,
      name: "Grace H",
      picture: "https://lh3.example/g.png",
    });
    const { url } = await authorize("google");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("scope")).toBe("openid email profile");

    const outcome = await signIn("google");
    expect(outcome).toMatchObject({ userId: existing.id, createdUser: false, linked: true });
    expect(fake.tokenRequests.at(-1)!.body.code_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The fake's userinfo endpoint agrees with the ID token, as Google's does.
    const unauthorized = await fetch(fake.googleUserInfoUrl);
    expect(unauthorized.status).toBe(401);
    // A sign-in from a new browser is announced to the account's address.
    const [alert] = await listOutbox(database.db, { to: "grace@example.test", limit: 1 });
    expect(alert?.kind).toBe("new_sign_in");
  });

  it("refuses a code exchange without the right verifier", async () => {
    fake.setGoogleUser({
      sub: "google-sub-2",
      email: "pkce@example.test",
      emailVerified: true,
      name: "P",
      picture: null,
    });
    const first = await authorize("google");
    const second = await authorize("google");
    // The callback of flow 1 arriving with flow 2's cookie fails the state check.
    expect(
      (
        await rejection(
          completeOAuthFlow({ config, provider: "google", params: first.params, cookieValue: second.cookieValue }),
        )
      ).code,
    ).toBe("FORBIDDEN");
  });

  it("creates an unverified account when Google has not verified the email, and sends our own verification", async () => {
    fake.setGoogleUser({
      sub: "google-sub-3",
      email: "unverified@example.test",
      emailVerified: false,
      name: "U",
      picture: null,
    });
    const outcome = await signIn("google");
    expect(outcome.createdUser).toBe(true);
    const user = await database.db
      .selectFrom("users")
      .select("email_verified_at")
      .where("id", "=", outcome.userId)
      .executeTakeFirstOrThrow();
    expect(user.email_verified_at).toBeNull();
    const [message] = await listOutbox(database.db, { to: "unverified@example.test" });
    expect(message?.kind).toBe("verify_email");
  });
});

describe("linking and unlinking", () => {
  it("links a provider to the signed-in account and never removes the last way to sign in", async () => {
    fake.setGitHubUser({
      id: 4004,
      login: "solo",
      name: "Solo",
      avatarUrl: null,
      emails: [{ email: "solo@example.test", primary: true, verified: true }],
    });
    const solo = await signIn("github");
    const refused = await rejection(unlinkOAuthProvider(database.db, { userId: solo.userId, provider: "github" }));
    expect(refused).toMatchObject({ code: "PRECONDITION_FAILED", reason: "last_sign_in_method" });

    fake.setGoogleUser({
      sub: "google-sub-solo",
      email: "solo.other@example.test",
      emailVerified: true,
      name: "Solo",
      picture: null,
    });
    const linked = await signIn("google", { intent: "link", currentUserId: solo.userId });
    expect(linked).toMatchObject({ userId: solo.userId, session: null, linked: true });

    await unlinkOAuthProvider(database.db, { userId: solo.userId, provider: "github" });
    expect((await rejection(unlinkOAuthProvider(database.db, { userId: solo.userId, provider: "google" }))).code).toBe(
      "PRECONDITION_FAILED",
    );
  });

  it("refuses to link an identity that belongs to another account", async () => {
    const other = await ensureDemoUser(database.db, {
      email: "other@example.test",
      password: "other-pass-1",
      name: "O",
    });
    fake.setGitHubUser({
      id: 1001,
      login: "octocat",
      name: "The Octocat",
      avatarUrl: null,
      emails: [{ email: "octocat@example.test", primary: true, verified: true }],
    });
    const error = await rejection(signIn("github", { intent: "link", currentUserId: other.id }));
    expect(error).toMatchObject({ code: "CONFLICT", reason: "oauth_already_linked" });
  });

  it("a link flow needs a signed-in user", async () => {
    expect((await rejection(signIn("github", { intent: "link" }))).code).toBe("UNAUTHORIZED");
  });
});
