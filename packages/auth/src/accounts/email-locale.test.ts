import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createMailer, listOutbox, type Mailer } from "@animateimg/email";
import { setEmailLocale } from "./manage-account";
import { requestPasswordReset } from "./password-reset";
import { signUp } from "./sign-up";

let database: TestDatabase;
let mailer: Mailer;
beforeAll(async () => {
  database = await createTestDatabase();
  mailer = createMailer({ db: database.db, from: "x@app.test" });
});
afterAll(() => database?.drop());

const appUrl = "http://app.test";
const request = { ip: "192.0.2.9", userAgent: null };

describe("emails in the person's language (users.locale)", () => {
  it("writes to a person who signed up in Spanish in Spanish, and follows a switch back to English", async () => {
    const { userId } = await signUp(database.db, {
      email: "ana@example.test",
      password: "una linterna naranja tranquila",
      name: "Ana",
      ageConfirmed: true,
      locale: "es",
      mailer,
      appUrl,
      request,
    });
    const [verify] = await listOutbox(database.db, { to: "ana@example.test" });
    expect(verify).toMatchObject({ kind: "verify_email", subject: "Confirma tu dirección de correo para AnimateImg" });
    expect(verify?.text).toContain("Hola, Ana:");

    await setEmailLocale(database.db, { userId, locale: "en" });
    await requestPasswordReset(database.db, { email: "ana@example.test", mailer, appUrl, request });
    const [reset] = await listOutbox(database.db, { to: "ana@example.test" });
    expect(reset).toMatchObject({ kind: "reset_password", subject: "Reset your AnimateImg password" });
  });

  it("keeps English for a person who signed up without a language", async () => {
    await signUp(database.db, {
      email: "bo@example.test",
      password: "una linterna naranja tranquila",
      name: "Bo",
      ageConfirmed: true,
      mailer,
      appUrl,
      request: { ip: "192.0.2.10", userAgent: null },
    });
    const [verify] = await listOutbox(database.db, { to: "bo@example.test" });
    expect(verify?.subject).toBe("Confirm your email address for AnimateImg");
  });
});
