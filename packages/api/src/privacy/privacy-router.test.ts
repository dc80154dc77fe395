import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createMailer, listOutbox } from "@animateimg/email";
import {
  createUnsubscribeTokens,
  currentPrivacyPolicy,
  definePrivacyPolicy,
  sendMarketingEmail,
  type PrivacyPolicy,
} from "@animateimg/privacy";
import type { AccountDependencies } from "../auth/account-dependencies";
import { createTestBrowser } from "../testing/test-browser";
import type { PrivacyDependencies } from "./privacy-dependencies";
import { handleUnsubscribe } from "./unsubscribe-http-handler";

let database: TestDatabase;
let accounts: AccountDependencies;
const unsubscribeTokens = createUnsubscribeTokens({ secret: "router-test-unsubscribe-secret-0123456789" });
const current = currentPrivacyPolicy();
const next: PrivacyPolicy = definePrivacyPolicy({
  text: `${current.text}\nA new paragraph.`,
  history: [
    {
      version: "2099-01-01",
      effectiveDate: "2099-01-01",
      changes: { en: ["We now explain X."], es: ["Ahora explicamos X."] },
    },
    ...current.history,
  ],
});
const privacyWith = (policy: PrivacyPolicy): PrivacyDependencies => ({
  policy,
  contactEmail: "privacy@app.test",
  unsubscribeTokens,
});

beforeAll(async () => {
  database = await createTestDatabase();
  accounts = {
    mailer: createMailer({ db: database.db, from: "AnimateImg <no-reply@app.test>" }),
    appUrl: "https://app.test",
    secureCookies: false,
    oauth: { appUrl: "https://app.test" },
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

async function signedUp(email: string, privacy = privacyWith(current)) {
  const browser = createTestBrowser(database.db, { accounts, privacy });
  const { userId } = await browser.call((c) =>
    c.auth.signUp({ email, password, name: "Ada", ageConfirmed: true, policyVersion: privacy.policy.version }),
  );
  return { browser, userId };
}

describe("privacy procedures", () => {
  it("the policy is public: version, effective date, contact address", async () => {
    const anonymous = createTestBrowser(database.db, { accounts, privacy: privacyWith(current) });
    const policy = await anonymous.call((c) => c.privacy.policy());
    expect(policy).toMatchObject({
      version: current.version,
      effectiveDate: current.effectiveDate,
      contactEmail: "privacy@app.test",
    });
    expect((await failure(anonymous.call((c) => c.privacy.status()))).code).toBe("UNAUTHORIZED");
  });

  it("the /privacy page's document: the shipped text in blocks, the contact where the placeholder was", async () => {
    const anonymous = createTestBrowser(database.db, { accounts, privacy: privacyWith(current) });
    const document = await anonymous.call((c) => c.privacy.document());
    expect(document).toMatchObject({
      version: current.version,
      effectiveDate: current.effectiveDate,
      contactEmail: "privacy@app.test",
    });
    expect(document.blocks[0]).toMatchObject({ kind: "title" });
    expect(document.blocks.some((block) => block.kind === "contact")).toBe(true);
    const headings = document.blocks.flatMap((block) => (block.kind === "heading" ? [block.text] : []));
    expect(headings.length).toBeGreaterThan(3);
  });

  it("sign-up records the version shown and when; no notice until the policy changes", async () => {
    const before = new Date();
    const { browser } = await signedUp("accepts@example.test");
    const status = await browser.call((c) => c.privacy.status());
    expect(status).toMatchObject({ needsAcknowledgement: false, changes: [], accepted: { version: current.version } });
    expect(status.accepted!.acceptedAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
  });

  it("sign-up from a page showing an outdated policy is refused before any account exists", async () => {
    const browser = createTestBrowser(database.db, { accounts, privacy: privacyWith(next) });
    const error = await failure(
      browser.call((c) =>
        c.auth.signUp({
          email: "stale-page@example.test",
          password,
          name: "Ada",
          ageConfirmed: true,
          policyVersion: current.version,
        }),
      ),
    );
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toMatch(/Reload the page/);
    const user = await database.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", "stale-page@example.test")
      .executeTakeFirst();
    expect(user).toBeUndefined();
  });

  it("a new version shows what changed until the person acknowledges it", async () => {
    const { browser } = await signedUp("notice@example.test");
    const later = createTestBrowser(database.db, { accounts, privacy: privacyWith(next) });
    later.cookies.set("animateimg_session", browser.sessionToken()!);
    const status = await later.call((c) => c.privacy.status());
    expect(status).toMatchObject({
      currentVersion: "2099-01-01",
      needsAcknowledgement: true,
      accepted: { version: current.version },
    });
    expect(status.changes.map((c) => c.changes)).toEqual([{ en: ["We now explain X."], es: ["Ahora explicamos X."] }]);

    const stale = await failure(later.call((c) => c.privacy.acknowledge({ version: current.version })));
    expect(stale.code).toBe("CONFLICT");
    await later.call((c) => c.privacy.acknowledge({ version: "2099-01-01" }));
    expect(await later.call((c) => c.privacy.status())).toMatchObject({
      needsAcknowledgement: false,
      accepted: { version: "2099-01-01" },
    });
  });

  it("marketing email is off by default and switched in Settings", async () => {
    const { browser } = await signedUp("toggle@example.test");
    expect((await browser.call((c) => c.privacy.status())).marketingOptIn).toBe(false);
    await browser.call((c) => c.privacy.setMarketingOptIn({ optIn: true }));
    expect((await browser.call((c) => c.privacy.status())).marketingOptIn).toBe(true);
    await browser.call((c) => c.privacy.setMarketingOptIn({ optIn: false }));
    expect((await browser.call((c) => c.privacy.status())).marketingOptIn).toBe(false);
  });
});

describe("the unsubscribe endpoint", () => {
  async function optedInWithEmail(email: string) {
    const { browser, userId } = await signedUp(email);
    await browser.call((c) => c.privacy.setMarketingOptIn({ optIn: true }));
    const settings = { mailer: accounts.mailer, tokens: unsubscribeTokens, appUrl: "https://app.test" };
    await sendMarketingEmail(database.db, { ...settings, userId, content: { subject: "News", paragraphs: ["Hello"] } });
    const [message] = (await listOutbox(database.db, { to: email })).filter((m) => m.kind === "marketing");
    const url = /^<([^>]+)>/.exec(message!.headers["List-Unsubscribe"]!)![1]!;
    return { browser, userId, url, settings };
  }
  const deps = { db: () => database.db, privacy: { unsubscribeTokens } };
  const call = (request: Request) => {
    const token = decodeURIComponent(new URL(request.url).pathname.split("/").at(-1)!);
    return handleUnsubscribe(request, token, { db: deps.db(), privacy: deps.privacy });
  };

  it("one-click POST (RFC 8058) works without signing in, is idempotent, and the next email is not sent", async () => {
    const { browser, userId, url, settings } = await optedInWithEmail("oneclick@example.test");
    expect(url).toMatch(/^https:\/\/app\.test\/api\/unsubscribe\/u1\./);
    const oneClick = () =>
      call(
        new Request(url, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "List-Unsubscribe=One-Click",
        }),
      );
    const first = await oneClick();
    expect(first.status).toBe(200);
    expect((await browser.call((c) => c.privacy.status())).marketingOptIn).toBe(false);
    const second = await oneClick();
    expect(second.status).toBe(200);
    expect(await second.text()).toBe(await first.text());
    const sent = await sendMarketingEmail(database.db, {
      ...settings,
      userId,
      content: { subject: "More", paragraphs: ["Hi"] },
    });
    expect(sent).toEqual({ sent: false });
  });

  it("a multipart one-click POST works too", async () => {
    const { browser, url } = await optedInWithEmail("multipart@example.test");
    const body = new FormData();
    body.set("List-Unsubscribe", "One-Click");
    expect((await call(new Request(url, { method: "POST", body }))).status).toBe(200);
    expect((await browser.call((c) => c.privacy.status())).marketingOptIn).toBe(false);
  });

  it("GET changes nothing and leads to the confirmation page; the page's button comes back to it", async () => {
    const { browser, url } = await optedInWithEmail("get@example.test");
    const token = url.split("/").at(-1)!;
    const get = await call(new Request(url));
    expect(get.status).toBe(303);
    expect(get.headers.get("location")).toBe(`/unsubscribe/${token}`);
    expect((await browser.call((c) => c.privacy.status())).marketingOptIn).toBe(true);

    const fromPage = await call(
      new Request(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "source=page",
      }),
    );
    expect(fromPage.status).toBe(303);
    expect(fromPage.headers.get("location")).toBe(`/unsubscribe/${token}?done=1`);
    expect((await browser.call((c) => c.privacy.status())).marketingOptIn).toBe(false);
  });

  it("the confirmation page's view: a masked address and the current choice, without signing in; a forged link is NOT_FOUND", async () => {
    const { userId, url } = await optedInWithEmail("view@example.test");
    const token = decodeURIComponent(url.split("/").at(-1)!);
    const anonymous = createTestBrowser(database.db, { accounts, privacy: privacyWith(current) });
    const view = await anonymous.call((c) => c.privacy.unsubscribeLink({ token }));
    expect(view.optedIn).toBe(true);
    expect(view.maskedEmail).toMatch(/^v.*@example\.test$/);
    expect(view.maskedEmail).not.toContain("view@");
    const forged = createUnsubscribeTokens({ secret: "another-secret-entirely-0123456789abcdef" }).create(userId);
    const refusal = await failure(anonymous.call((c) => c.privacy.unsubscribeLink({ token: forged })));
    expect(refusal.code).toBe("NOT_FOUND");
    expect(refusal.message).toMatch(/not valid/);
  });

  it("a forged token is refused and changes nothing", async () => {
    const { browser, userId } = await optedInWithEmail("forged@example.test");
    const forged = createUnsubscribeTokens({ secret: "another-secret-entirely-0123456789abcdef" }).create(userId);
    const response = await call(new Request(`https://app.test/api/unsubscribe/${forged}`, { method: "POST" }));
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(/not valid/);
    expect((await browser.call((c) => c.privacy.status())).marketingOptIn).toBe(true);
  });
});
