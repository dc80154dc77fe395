import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "@animateimg/core";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createMailer, listOutbox } from "@animateimg/email";
import { getMarketingPreference, setMarketingOptIn } from "./marketing-consent";
import { sendMarketingEmail } from "./send-marketing-email";
import { describeUnsubscribeLink, unsubscribeWithToken } from "./unsubscribe";
import { createUnsubscribeTokens } from "./unsubscribe-token";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const tokens = createUnsubscribeTokens({ secret: "marketing-test-secret-0123456789abcdef" });
const content = { subject: "New: VEO 3.1 with audio", paragraphs: ["VEO 3.1 now adds sound to your clips."] };

async function newUser(email: string): Promise<string> {
  const row = await database.db
    .insertInto("users")
    .values({ email, name: "Test", password_hash: null, email_verified_at: null })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

function settings() {
  return {
    mailer: createMailer({ db: database.db, from: "AnimateImg <news@app.test>" }),
    tokens,
    appUrl: "https://app.test",
  };
}

describe("marketing email", () => {
  it("is off by default and nothing is sent to someone who did not opt in", async () => {
    const userId = await newUser("default-off@example.test");
    expect(await getMarketingPreference(database.db, { userId })).toEqual({
      optedIn: false,
      changedAt: null,
      changedVia: null,
    });
    expect(await sendMarketingEmail(database.db, { ...settings(), userId, content })).toEqual({ sent: false });
    expect(await listOutbox(database.db, { to: "default-off@example.test" })).toEqual([]);
  });

  it("carries List-Unsubscribe (https, and mailto when configured), List-Unsubscribe-Post and a visible link", async () => {
    const userId = await newUser("news@example.test");
    await setMarketingOptIn(database.db, { userId, optIn: true, via: "settings" });
    const result = await sendMarketingEmail(database.db, {
      ...settings(),
      unsubscribeMailto: "unsubscribe@app.test",
      userId,
      content,
    });
    expect(result).toEqual({ sent: true });
    const [message] = await listOutbox(database.db, { to: "news@example.test" });
    expect(message!.kind).toBe("marketing");
    const token = tokens.create(userId);
    expect(message!.headers).toEqual({
      "List-Unsubscribe": `<https://app.test/api/unsubscribe/${token}>, <mailto:unsubscribe@app.test?subject=unsubscribe%20${token}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    expect(message!.text).toContain(`Unsubscribe: https://app.test/api/unsubscribe/${token}`);
    expect(message!.html).toContain(`href="https://app.test/api/unsubscribe/${token}"`);
  });

  it("one-click unsubscribe works without a session, is idempotent and stops the next email", async () => {
    const userId = await newUser("leave@example.test");
    await setMarketingOptIn(database.db, { userId, optIn: true, via: "settings" });
    const token = tokens.create(userId);
    expect(await describeUnsubscribeLink(database.db, { tokens, token })).toEqual({
      maskedEmail: "l•••@example.test",
      optedIn: true,
    });

    expect(await unsubscribeWithToken(database.db, { tokens, token })).toEqual({ changed: true });
    const after = await getMarketingPreference(database.db, { userId });
    expect(after).toMatchObject({ optedIn: false, changedVia: "unsubscribe_link" });
    expect(await unsubscribeWithToken(database.db, { tokens, token })).toEqual({ changed: false });
    expect((await getMarketingPreference(database.db, { userId })).changedAt).toEqual(after.changedAt);

    expect(await sendMarketingEmail(database.db, { ...settings(), userId, content })).toEqual({ sent: false });
  });

  it("an invalid link is refused with a sentence that says what to do", async () => {
    const error = await unsubscribeWithToken(database.db, { tokens, token: "u1.nope.nope" }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe("NOT_FOUND");
    expect(isAppError(error) && error.message).toMatch(/Settings/);
  });

  it("unsubscribing one person leaves everyone else's choice alone", async () => {
    const a = await newUser("keep-a@example.test");
    const b = await newUser("keep-b@example.test");
    await setMarketingOptIn(database.db, { userId: a, optIn: true, via: "settings" });
    await setMarketingOptIn(database.db, { userId: b, optIn: true, via: "settings" });
    await unsubscribeWithToken(database.db, { tokens, token: tokens.create(a) });
    expect((await getMarketingPreference(database.db, { userId: b })).optedIn).toBe(true);
  });
});
