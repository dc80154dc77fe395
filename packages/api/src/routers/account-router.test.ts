import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { validateSessionToken } from "@animateimg/auth";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createMailer, listOutbox } from "@animateimg/email";
import type { AccountDependencies } from "../auth/account-dependencies";
import { createTestBrowser } from "../testing/test-browser";

let database: TestDatabase;
let accounts: AccountDependencies;

beforeAll(async () => {
  database = await createTestDatabase();
  accounts = {
    mailer: createMailer({ db: database.db, from: "AnimateImg <no-reply@app.test>" }),
    appUrl: "http://app.test",
    secureCookies: false,
    oauth: { appUrl: "http://app.test" },
  };
});
afterAll(() => database?.drop());

const password = "correct horse battery staple";
const chrome =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const iphone =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

async function failure(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

/** One account signed in on two devices. */
async function twoDevices(email: string) {
  const desktop = createTestBrowser(database.db, { accounts, userAgent: chrome, ip: "192.168.1.20" });
  await desktop.call((c) => c.auth.signUp({ email, password, name: "Grace", ageConfirmed: true }));
  const phone = createTestBrowser(database.db, { accounts, userAgent: iphone, ip: "203.0.113.77" });
  await phone.call((c) => c.auth.signIn({ email, password }));
  return { desktop, phone };
}

describe("account", () => {
  it("requires a session", async () => {
    const anonymous = createTestBrowser(database.db, { accounts });
    expect((await failure(anonymous.call((c) => c.account.get()))).code).toBe("UNAUTHORIZED");
    expect((await failure(anonymous.call((c) => c.account.listSessions()))).code).toBe("UNAUTHORIZED");
  });

  it("updates the profile name", async () => {
    const { desktop } = await twoDevices("profile@example.test");
    await desktop.call((c) => c.account.updateProfile({ name: "  Grace Hopper " }));
    expect((await desktop.call((c) => c.account.get())).name).toBe("Grace Hopper");
    const empty = await failure(desktop.call((c) => c.account.updateProfile({ name: "   " })));
    expect(empty.message).toBe("Please enter your name.");
  });

  it("lists sessions with browser, OS, place and last seen; revokes one and all others", async () => {
    const { desktop, phone } = await twoDevices("sessions@example.test");
    const third = createTestBrowser(database.db, { accounts, ip: "127.0.0.1" });
    await third.call((c) => c.auth.signIn({ email: "sessions@example.test", password }));

    const sessions = await desktop.call((c) => c.account.listSessions());
    expect(sessions).toHaveLength(3);
    const current = sessions.find((s) => s.current)!;
    expect(current).toMatchObject({ browser: "Chrome 131", os: "Windows", ip: "192.168.1.20", place: "Local network" });
    expect(sessions.find((s) => s.os === "iOS")).toMatchObject({
      browser: "Safari 18",
      ip: "203.0.113.77",
      place: null,
    });
    expect(current.lastSeenAt).toBeInstanceOf(Date);

    const phoneSession = sessions.find((s) => s.os === "iOS")!;
    await desktop.call((c) => c.account.revokeSession({ sessionId: phoneSession.id }));
    expect(await phone.call((c) => c.auth.me())).toBeNull();
    const gone = await failure(desktop.call((c) => c.account.revokeSession({ sessionId: phoneSession.id })));
    expect(gone.code).toBe("NOT_FOUND");

    await expect(desktop.call((c) => c.account.revokeOtherSessions())).resolves.toEqual({ revoked: 1 });
    expect(await third.call((c) => c.auth.me())).toBeNull();
    expect(await desktop.call((c) => c.auth.me())).not.toBeNull();
  });

  it("cannot revoke another user's session", async () => {
    const a = await twoDevices("owner-a@example.test");
    const b = await twoDevices("owner-b@example.test");
    const [bSession] = await b.desktop.call((c) => c.account.listSessions());
    const refused = await failure(a.desktop.call((c) => c.account.revokeSession({ sessionId: bSession!.id })));
    expect(refused.code).toBe("NOT_FOUND");
    expect(await b.desktop.call((c) => c.auth.me())).not.toBeNull();
  });

  it("changing the password ends the other sessions and keeps this one", async () => {
    const { desktop, phone } = await twoDevices("change@example.test");
    const phoneToken = phone.sessionToken()!;
    const wrong = await failure(
      desktop.call((c) =>
        c.account.changePassword({ currentPassword: "not it at all", newPassword: "a fresh passphrase" }),
      ),
    );
    expect(wrong.message).toBe("Your current password is not correct.");
    const weak = await failure(
      desktop.call((c) => c.account.changePassword({ currentPassword: password, newPassword: "iloveyou" })),
    );
    expect(weak.message).toMatch(/most commonly used/);

    await expect(
      desktop.call((c) => c.account.changePassword({ currentPassword: password, newPassword: "a fresh passphrase" })),
    ).resolves.toEqual({ signedOutSessions: 1 });
    expect(await validateSessionToken(database.db, { token: phoneToken })).toBeNull();
    expect(await phone.call((c) => c.auth.me())).toBeNull();
    expect(await desktop.call((c) => c.auth.me())).not.toBeNull();
    await createTestBrowser(database.db, { accounts }).call((c) =>
      c.auth.signIn({ email: "change@example.test", password: "a fresh passphrase" }),
    );
  });

  it("changes the email only after the new address is confirmed, and tells the old one", async () => {
    const { desktop } = await twoDevices("old@example.test");
    await twoDevices("taken@example.test");
    const taken = await failure(
      desktop.call((c) => c.account.changeEmail({ newEmail: "taken@example.test", currentPassword: password })),
    );
    expect(taken.code).toBe("CONFLICT");
    const wrong = await failure(
      desktop.call((c) => c.account.changeEmail({ newEmail: "new@example.test", currentPassword: "nope nope" })),
    );
    expect(wrong.message).toBe("Your current password is not correct.");

    await expect(
      desktop.call((c) => c.account.changeEmail({ newEmail: "new@example.test", currentPassword: password })),
    ).resolves.toEqual({ pendingEmail: "new@example.test" });
    expect((await desktop.call((c) => c.account.get())).email).toBe("old@example.test");

    const [confirmation] = await listOutbox(database.db, { to: "new@example.test" });
    expect(confirmation).toMatchObject({ kind: "change_email" });
    const token = /verify-email\?token=([a-z0-9]+)/.exec(confirmation!.text)![1]!;
    await expect(desktop.call((c) => c.auth.verifyEmail({ token }))).resolves.toEqual({
      kind: "change_email",
      email: "new@example.test",
    });
    const account = await desktop.call((c) => c.account.get());
    expect(account).toMatchObject({ email: "new@example.test", emailVerified: true });
    const [notice] = await listOutbox(database.db, { to: "old@example.test", limit: 1 });
    expect(notice).toMatchObject({ kind: "email_changed", subject: "Your AnimateImg email address was changed" });
    expect(notice!.text).toContain("new@example.test");
  });

  it("will not unlink a provider that is not linked", async () => {
    const { desktop } = await twoDevices("unlink@example.test");
    await expect(desktop.call((c) => c.account.linkedProviders())).resolves.toEqual({
      linked: [],
      available: [],
      hasPassword: true,
    });
    const missing = await failure(desktop.call((c) => c.account.unlinkProvider({ provider: "github" })));
    expect(missing.code).toBe("NOT_FOUND");
  });
});
