import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@animateimg/core";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createMailer, type Mailer } from "@animateimg/email";
import { requestPasswordReset } from "./password-reset";
import { signInWithPassword } from "./sign-in";
import { signUp } from "./sign-up";

let database: TestDatabase;
let mailer: Mailer;
beforeAll(async () => {
  database = await createTestDatabase();
  mailer = createMailer({ db: database.db, from: "x@app.test" });
});
afterAll(() => database?.drop());

const appUrl = "http://app.test";
const password = "correct horse battery staple";
const t0 = new Date("2026-11-29T09:00:00Z");
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("rate limits on account flows", () => {
  it("sign-in per account trips after 10 attempts and recovers when the 15-minute window ends", async () => {
    await signUp(database.db, {
      email: "rl@example.test",
      password,
      name: "R",
      ageConfirmed: true,
      mailer,
      appUrl,
      request: { ip: "192.0.2.1", userAgent: null },
      now: t0,
    });
    const attempt = (n: number, pw: string, ip: string) =>
      signInWithPassword(database.db, {
        email: "rl@example.test",
        password: pw,
        mailer,
        appUrl,
        request: { ip, userAgent: null },
        now: minutes(n),
      });
    for (let i = 0; i < 10; i++) {
      expect((await rejection(attempt(1, "wrong guess!", `192.0.2.${10 + i}`))).code).toBe("UNAUTHORIZED");
    }
    const tripped = await rejection(attempt(2, password, "192.0.2.200"));
    expect(tripped).toMatchObject({ code: "TOO_MANY_REQUESTS", retryAfterSeconds: 14 * 60 });
    // The window opened at minute 1 and lasts 15 minutes.
    await expect(attempt(16, password, "192.0.2.201")).resolves.toMatchObject({
      session: expect.anything() as unknown,
    });
  });

  it("sign-in per IP trips across accounts (credential spraying)", async () => {
    const ip = "198.51.100.250";
    for (let i = 0; i < 30; i++) {
      await rejection(
        signInWithPassword(database.db, {
          email: `spray${i}@example.test`,
          password,
          mailer,
          appUrl,
          request: { ip, userAgent: null },
          now: t0,
        }),
      );
    }
    const tripped = await rejection(
      signInWithPassword(database.db, {
        email: "another@example.test",
        password,
        mailer,
        appUrl,
        request: { ip, userAgent: null },
        now: t0,
      }),
    );
    expect(tripped.code).toBe("TOO_MANY_REQUESTS");
  });

  it("sign-up per IP and password-reset requests per account are limited", async () => {
    const ip = "198.51.100.77";
    for (let i = 0; i < 10; i++) {
      await signUp(database.db, {
        email: `many${i}@example.test`,
        password,
        name: "M",
        ageConfirmed: true,
        mailer,
        appUrl,
        request: { ip, userAgent: null },
        now: t0,
      });
    }
    const signUpLimited = await rejection(
      signUp(database.db, {
        email: "many10@example.test",
        password,
        name: "M",
        ageConfirmed: true,
        mailer,
        appUrl,
        request: { ip, userAgent: null },
        now: t0,
      }),
    );
    expect(signUpLimited.code).toBe("TOO_MANY_REQUESTS");

    for (let i = 0; i < 3; i++) {
      await requestPasswordReset(database.db, {
        email: "many1@example.test",
        mailer,
        appUrl,
        request: { ip: `203.0.113.${i}`, userAgent: null },
        now: t0,
      });
    }
    const resetLimited = await rejection(
      requestPasswordReset(database.db, {
        email: "MANY1@example.test",
        mailer,
        appUrl,
        request: { ip: "203.0.113.9", userAgent: null },
        now: t0,
      }),
    );
    expect(resetLimited).toMatchObject({ code: "TOO_MANY_REQUESTS", retryAfterSeconds: 3600 });
    await requestPasswordReset(database.db, {
      email: "many1@example.test",
      mailer,
      appUrl,
      request: { ip: "203.0.113.9", userAgent: null },
      now: minutes(61),
    });
  });
});
