import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import type { AccountErasureScheduler } from "@animateimg/account-deletion";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createMailer } from "@animateimg/email";
import type { AccountDependencies } from "../auth/account-dependencies";
import { createTestBrowser } from "../testing/test-browser";

let database: TestDatabase;
let accounts: AccountDependencies;
const scheduled: string[] = [];
const scheduler: AccountErasureScheduler = {
  schedule: ({ userId }) => {
    scheduled.push(`schedule:${userId}`);
    return Promise.resolve();
  },
  notifyChanged: ({ userId }) => {
    scheduled.push(`changed:${userId}`);
    return Promise.resolve();
  },
};

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

async function failure(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

async function signedUp(email: string) {
  const browser = createTestBrowser(database.db, { accounts, accountDeletion: { scheduler } });
  await browser.call((c) => c.auth.signUp({ email, password, name: "Someone", ageConfirmed: true }));
  return browser;
}

describe("accountDeletion procedures", () => {
  it("need a session", async () => {
    const anonymous = createTestBrowser(database.db, { accounts, accountDeletion: { scheduler } });
    expect((await failure(anonymous.call((c) => c.accountDeletion.status()))).code).toBe("UNAUTHORIZED");
    expect((await failure(anonymous.call((c) => c.accountDeletion.request({ password, confirm: true })))).code).toBe(
      "UNAUTHORIZED",
    );
  });

  it("refuse a wrong password with a sentence, schedule with the right one, and cancel", async () => {
    const browser = await signedUp("leaving-via-api@example.test");
    expect(await browser.call((c) => c.accountDeletion.status())).toEqual({
      state: "none",
      reauthentication: { method: "password" },
      gracePeriodMs: 7 * 24 * 3600_000,
    });

    const wrong = await failure(browser.call((c) => c.accountDeletion.request({ password: "guess", confirm: true })));
    expect(wrong.code).toBe("BAD_REQUEST");
    expect(wrong.message).toBe("That password is not correct. Your account was not scheduled for deletion.");

    const status = await browser.call((c) => c.accountDeletion.request({ password, confirm: true }));
    expect(status.state).toBe("scheduled");
    if (status.state !== "scheduled") throw new Error("unreachable");
    const days = (status.eraseAfter.getTime() - status.requestedAt.getTime()) / (24 * 3600_000);
    expect(days).toBe(7);
    expect(scheduled.at(-1)).toMatch(/^schedule:/);

    expect(await browser.call((c) => c.accountDeletion.cancel())).toEqual({ canceled: true });
    expect((await browser.call((c) => c.accountDeletion.status())).state).toBe("none");
    const again = await failure(browser.call((c) => c.accountDeletion.cancel()));
    expect(again.code).toBe("NOT_FOUND");
    expect(again.message).toBe("No deletion is scheduled for your account.");
  });

  it("the child-report deletion is for administrators only", async () => {
    const someone = await signedUp("not-an-admin@example.test");
    await signedUp("reported-child@example.test");
    const refused = await failure(
      someone.call((c) => c.admin.deleteChildAccount({ email: "reported-child@example.test", confirm: true })),
    );
    expect(refused.code).toBe("FORBIDDEN");

    await database.db
      .updateTable("users")
      .set({ role: "admin" })
      .where("email", "=", "not-an-admin@example.test")
      .execute();
    const result = await someone.call((c) =>
      c.admin.deleteChildAccount({ email: "reported-child@example.test", confirm: true }),
    );
    expect(scheduled.slice(-2)).toEqual([`schedule:${result.userId}`, `changed:${result.userId}`]);
    const request = await database.db
      .selectFrom("account_deletion_requests")
      .select(["reason"])
      .where("user_id", "=", result.userId)
      .executeTakeFirstOrThrow();
    expect(request.reason).toBe("child_report");
  });
});
