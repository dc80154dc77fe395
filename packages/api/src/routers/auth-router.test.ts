import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { sql } from "@animateimg/db";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createMailer, listOutbox } from "@animateimg/email";
import { validateSessionToken } from "@animateimg/auth";
import type { AccountDependencies } from "../auth/account-dependencies";
import { createSessionResolver } from "../auth/session-resolver";
import { createTestBrowser } from "../testing/test-browser";
import { createCallerFactory, createTRPCContext, createTRPCRouter, verifiedProcedure, adminProcedure } from "../trpc";
import { z } from "zod";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";

let database: TestDatabase;
let accounts: AccountDependencies;

beforeAll(async () => {
  database = await createTestDatabase();
  accounts = {
    mailer: createMailer({ db: database.db, from: "AnimateImg <no-reply@app.test>" }),
    appUrl: "http://app.test",
    secureCookies: true,
    oauth: { appUrl: "http://app.test" },
  };
});
afterAll(() => database?.drop());

// Each browser gets its own address, so per-IP limits do not couple unrelated tests.
let nextIp = 1;
const browser = (ip = `203.0.113.${nextIp++}`, userAgent?: string) =>
  createTestBrowser(database.db, { accounts, ip, ...(userAgent ? { userAgent } : {}) });

async function lastLink(to: string, path: string): Promise<string> {
  const [message] = await listOutbox(database.db, { to, limit: 1 });
  const match = message?.text.match(new RegExp(`http://app\\.test${path}\\?token=([a-z0-9]+)`));
  if (!match?.[1]) throw new Error(`no ${path} link in the last email to ${to}: ${message?.text ?? "(none)"}`);
  return match[1];
}

async function failure(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

const strongPassword = "correct horse battery staple";

async function signedUp(email: string, b = browser()) {
  await b.call((c) => c.auth.signUp({ email, password: strongPassword, name: "Ada Lovelace", ageConfirmed: true }));
  return b;
}

describe("sign up", () => {
  it("creates an unverified account, sets a Secure HttpOnly Lax cookie and emails a verification link", async () => {
    const b = browser();
    await b.call((c) =>
      c.auth.signUp({ email: "ada@example.test", password: strongPassword, name: " Ada ", ageConfirmed: true }),
    );
    const cookie = b.lastSetCookies.find((line) => line.startsWith("animateimg_session="));
    expect(cookie).toMatch(/; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=\d+/);
    expect(b.sessionToken()).toMatch(/^[a-z2-7]{24}\.[a-z2-7]{24}$/);

    const me = await b.call((c) => c.auth.me());
    expect(me).toMatchObject({
      email: "ada@example.test",
      name: "Ada",
      emailVerified: false,
      role: "user",
      hasPassword: true,
    });

    const [message] = await listOutbox(database.db, { to: "ada@example.test" });
    expect(message).toMatchObject({ kind: "verify_email", subject: "Confirm your email address for AnimateImg" });
    expect(message!.html).toContain('<a href="http://app.test/verify-email?token=');
    expect(message!.text).toContain("http://app.test/verify-email?token=");
  });

  it("stores only a hash: no column of the sessions table holds the token or its secret", async () => {
    const b = await signedUp("hash@example.test");
    const token = b.sessionToken()!;
    const [id, secret] = token.split(".") as [string, string];
    const rows = await database.db.selectFrom("sessions").selectAll().execute();
    const dump = JSON.stringify(rows.map((r) => ({ ...r, secret_hash: Buffer.from(r.secret_hash).toString("hex") })));
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(secret);
    const row = rows.find((r) => r.id === id)!;
    expect(Buffer.from(row.secret_hash).toString("hex")).toHaveLength(64);
  });

  it("refuses children, common and short passwords, and a taken email, each with a field message", async () => {
    const b = browser("198.51.100.1");
    const child = await failure(
      b.call((c) =>
        c.auth.signUp({ email: "kid@example.test", password: strongPassword, name: "Kid", ageConfirmed: false }),
      ),
    );
    expect(child.code).toBe("BAD_REQUEST");
    expect(child.message).toMatch(/13 or older/);

    const common = await failure(
      b.call((c) => c.auth.signUp({ email: "x@example.test", password: "Password123", name: "X", ageConfirmed: true })),
    );
    expect(common.message).toMatch(/most commonly used/);
    const short = await failure(
      b.call((c) => c.auth.signUp({ email: "x@example.test", password: "short", name: "X", ageConfirmed: true })),
    );
    expect(short.message).toBe("Use at least 8 characters.");
    const long = await failure(
      b.call((c) =>
        c.auth.signUp({ email: "x@example.test", password: "a1".repeat(65), name: "X", ageConfirmed: true }),
      ),
    );
    expect(long.message).toBe("Use at most 128 characters.");

    const taken = await failure(
      b.call((c) =>
        c.auth.signUp({ email: "ADA@example.test", password: strongPassword, name: "Other", ageConfirmed: true }),
      ),
    );
    expect(taken.code).toBe("CONFLICT");
    expect(taken.message).toMatch(/already exists/);
  });
});

describe("email verification", () => {
  it("verifies by link once; the same link is refused afterwards", async () => {
    const b = await signedUp("verify@example.test");
    const token = await lastLink("verify@example.test", "/verify-email");
    await expect(browser().call((c) => c.auth.verifyEmail({ token }))).resolves.toEqual({
      kind: "verify_email",
      email: "verify@example.test",
    });
    expect((await b.call((c) => c.auth.me()))?.emailVerified).toBe(true);
    const reused = await failure(browser().call((c) => c.auth.verifyEmail({ token })));
    expect(reused.message).toMatch(/expired or has already been used/);
  });

  it("can be re-sent, and only the newest link works", async () => {
    const b = await signedUp("resend@example.test");
    const first = await lastLink("resend@example.test", "/verify-email");
    await expect(b.call((c) => c.auth.requestEmailVerification())).resolves.toEqual({ alreadyVerified: false });
    const second = await lastLink("resend@example.test", "/verify-email");
    expect(second).not.toBe(first);
    await failure(b.call((c) => c.auth.verifyEmail({ token: first })));
    await b.call((c) => c.auth.verifyEmail({ token: second }));
  });

  it("unverified users cannot start paid work; verified ones can; admins only for admin procedures", async () => {
    const router = createTRPCRouter({
      startGeneration: verifiedProcedure
        .input(z.void())
        .output(z.string())
        .mutation(() => "started"),
      adminOnly: adminProcedure
        .input(z.void())
        .output(z.string())
        .query(() => "admin"),
    });
    const callerFor = async (token: string | undefined) =>
      createCallerFactory(router)(
        await createTRPCContext({
          deps: {
            db: database.db,
            orchestrator: createOrchestrator({
              client: () => Promise.reject(new Error("unused")),
              taskQueue: "unused",
            }),
            resolveSession: createSessionResolver(database.db),
            accounts,
          },
          headers: new Headers(token ? { cookie: `animateimg_session=${token}` } : {}),
        }),
      );
    const b = await signedUp("paid@example.test");
    const refused = await failure((await callerFor(b.sessionToken())).startGeneration());
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.message).toMatch(/verify your email/);
    expect((await failure((await callerFor(undefined)).startGeneration())).code).toBe("UNAUTHORIZED");

    await browser().call(async (c) =>
      c.auth.verifyEmail({ token: await lastLink("paid@example.test", "/verify-email") }),
    );
    await expect((await callerFor(b.sessionToken())).startGeneration()).resolves.toBe("started");
    expect((await failure((await callerFor(b.sessionToken())).adminOnly())).code).toBe("FORBIDDEN");
    await database.db.updateTable("users").set({ role: "admin" }).where("email", "=", "paid@example.test").execute();
    await expect((await callerFor(b.sessionToken())).adminOnly()).resolves.toBe("admin");
  });
});

describe("sign in and out", () => {
  it("gives the same error for a wrong password and an unknown email", async () => {
    await signedUp("same@example.test");
    const wrong = await failure(
      browser().call((c) => c.auth.signIn({ email: "same@example.test", password: "not the password" })),
    );
    const unknown = await failure(
      browser().call((c) => c.auth.signIn({ email: "nobody@example.test", password: "not the password" })),
    );
    expect(wrong.code).toBe("UNAUTHORIZED");
    expect({ code: unknown.code, message: unknown.message }).toEqual({ code: wrong.code, message: wrong.message });
    expect(wrong.message).toBe("Incorrect email or password.");
  });

  it("issues a new token at every sign-in, alerts on a new device, and sign-out makes the token unusable", async () => {
    const first = await signedUp("signin@example.test");
    const firstToken = first.sessionToken()!;
    const laptop = browser("192.0.2.44", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0");
    await laptop.call((c) => c.auth.signIn({ email: "Signin@Example.test", password: strongPassword }));
    const laptopToken = laptop.sessionToken()!;
    expect(laptopToken).not.toBe(firstToken);
    const [alert] = await listOutbox(database.db, { to: "signin@example.test", limit: 1 });
    expect(alert).toMatchObject({ kind: "new_sign_in" });
    expect(alert!.text).toContain("Firefox 133 on Linux");

    // Signing in again in the same browser replaces that browser's session.
    await laptop.call((c) => c.auth.signIn({ email: "signin@example.test", password: strongPassword }));
    expect(laptop.sessionToken()).not.toBe(laptopToken);
    expect(await validateSessionToken(database.db, { token: laptopToken })).toBeNull();

    const before = laptop.sessionToken()!;
    await expect(laptop.call((c) => c.auth.signOut())).resolves.toEqual({ signedOut: true });
    expect(laptop.sessionToken()).toBeUndefined();
    expect(await validateSessionToken(database.db, { token: before })).toBeNull();
    // Replaying the old cookie after sign-out gets nothing.
    laptop.cookies.set("animateimg_session", before);
    expect(await laptop.call((c) => c.auth.me())).toBeNull();
    expect((await failure(laptop.call((c) => c.account.get()))).code).toBe("UNAUTHORIZED");
    // The other device is untouched.
    expect(await first.call((c) => c.auth.me())).not.toBeNull();
  });

  it("treats a tampered token as signed out", async () => {
    const b = await signedUp("tamper@example.test");
    const [id] = b.sessionToken()!.split(".");
    b.cookies.set("animateimg_session", `${id}.aaaaaaaaaaaaaaaaaaaaaaaa`);
    expect(await b.call((c) => c.auth.me())).toBeNull();
  });

  it("trips the per-account sign-in limit with TOO_MANY_REQUESTS and a retry time", async () => {
    await signedUp("limited@example.test");
    for (let i = 0; i < 10; i++) {
      await failure(
        browser(`198.51.100.${i + 20}`).call((c) =>
          c.auth.signIn({ email: "limited@example.test", password: "wrong password" }),
        ),
      );
    }
    const limited = await failure(
      browser("198.51.100.99").call((c) => c.auth.signIn({ email: "limited@example.test", password: strongPassword })),
    );
    expect(limited.code).toBe("TOO_MANY_REQUESTS");
    expect(limited.message).toMatch(/try again in \d+ minutes/);
    expect((limited.cause as { retryAfterSeconds?: number }).retryAfterSeconds).toBeGreaterThan(800);
  });
});

describe("password reset", () => {
  it("answers the same for unknown emails, and resets once with a single-use link that signs everyone out", async () => {
    const b = await signedUp("reset@example.test");
    const oldToken = b.sessionToken()!;
    await expect(browser().call((c) => c.auth.requestPasswordReset({ email: "ghost@example.test" }))).resolves.toEqual({
      sent: true,
    });
    expect(await listOutbox(database.db, { to: "ghost@example.test" })).toHaveLength(0);

    await browser().call((c) => c.auth.requestPasswordReset({ email: "reset@example.test" }));
    const token = await lastLink("reset@example.test", "/reset-password");

    const weak = await failure(browser().call((c) => c.auth.resetPassword({ token, newPassword: "12345678" })));
    expect(weak.message).toMatch(/most commonly used/);
    // A refused password does not burn the link.
    await browser().call((c) => c.auth.resetPassword({ token, newPassword: "a brand new passphrase" }));
    expect(await validateSessionToken(database.db, { token: oldToken })).toBeNull();

    const reused = await failure(
      browser().call((c) => c.auth.resetPassword({ token, newPassword: "yet another passphrase" })),
    );
    expect(reused.message).toMatch(/expired or has already been used/);
    await failure(browser().call((c) => c.auth.signIn({ email: "reset@example.test", password: strongPassword })));
    await browser().call((c) => c.auth.signIn({ email: "reset@example.test", password: "a brand new passphrase" }));
  });

  it("refuses an expired reset link (older than one hour)", async () => {
    await signedUp("expired@example.test");
    await browser().call((c) => c.auth.requestPasswordReset({ email: "expired@example.test" }));
    const token = await lastLink("expired@example.test", "/reset-password");
    const row = await database.db
      .selectFrom("email_tokens")
      .innerJoin("users", "users.id", "email_tokens.user_id")
      .select(["email_tokens.created_at", "email_tokens.expires_at"])
      .where("users.email", "=", "expired@example.test")
      .where("kind", "=", "reset_password")
      .executeTakeFirstOrThrow();
    expect(row.expires_at.getTime() - row.created_at.getTime()).toBe(60 * 60 * 1000);
    // An hour and a second later:
    await sql`update email_tokens set expires_at = now() - interval '1 second' where kind = 'reset_password'`.execute(
      database.db,
    );
    const expired = await failure(
      browser().call((c) => c.auth.resetPassword({ token, newPassword: "a brand new passphrase" })),
    );
    expect(expired.code).toBe("BAD_REQUEST");
    expect(expired.message).toMatch(/expired/);
  });
});
