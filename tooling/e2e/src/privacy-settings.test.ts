// Settings' privacy rights in a real browser against the whole app (web, worker, Postgres,
// Temporal) as `npm start` runs it: a person asks for an export of their data, watches its
// progress and downloads the archive; then asks for their account to be deleted (password to
// confirm), sees the grace period, signs in again during it, is offered to cancel, and cancels.
// Assertions are on what the person sees; the database is read only to check the outcome.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { readFile } from "node:fs/promises";
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { startApp, type AppUnderTest } from "./app-under-test";
import { launchChromium, screenshotBoth, viewports } from "./browser";

declare module "vitest" {
  export interface ProvidedContext {
    postgresServerUrl: string;
  }
}

let app: AppUnderTest;
let browser: Browser;
let db: pg.Client;
const email = `privacy-${process.pid}@example.test`;
const password = "quiet meadow lantern";
/** Held by the test while it watches the export's progress: the archive cannot turn ready until released. */
const READY_GATE = 4_212_026;

beforeAll(async () => {
  [app, browser] = await Promise.all([
    startApp({ postgresServerUrl: inject("postgresServerUrl"), name: "privacy" }),
    launchChromium(),
  ]);
  db = new pg.Client({ connectionString: app.databaseUrl });
  await db.connect();
}, 300_000);

afterAll(async () => {
  await db?.end();
  await browser?.close();
  await app?.stop();
}, 60_000);

/** Uncaught errors and hydration mismatches on any page: none are expected. */
const pageProblems: string[] = [];

async function newPage(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: viewports.desktop, acceptDownloads: true })).newPage();
  page.setDefaultTimeout(60_000);
  page.on("pageerror", (error) => pageProblems.push(`${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /hydrat/i.test(message.text()))
      pageProblems.push(`${page.url()}: ${message.text()}`);
  });
  return page;
}

async function signUpAndVerify(page: Page): Promise<void> {
  await page.goto(`${app.url}/sign-up`);
  await page.locator('input[name="name"]').fill("Meadow Person");
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('input[name="ageConfirmed"]').check();
  await page.locator('button[type="submit"]').click();
  await page.waitForURL(/\/verify-email/);
  // The development outbox holds the verification email; its link confirms the address.
  await page.goto(`${app.url}/dev/outbox`);
  const message = page.locator("li.outbox-item", { hasText: email }).first();
  await message.waitFor();
  await message.locator("summary").click();
  const text = await message.locator("pre.outbox-text").innerText();
  const link = /https?:\/\/\S+\/verify-email\?token=[^\s"<>]+/.exec(text)?.[0];
  expect(link, text).toBeDefined();
  await page.goto(link!.replace(/^https?:\/\/[^/]+/, app.url));
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await page.getByText(`${email} is confirmed`).waitFor();
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${app.url}/sign-in`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

describe("privacy rights in Settings, in a browser", () => {
  it(
    "exports the data with visible progress and a download link, then schedules deletion and cancels it after signing in again",
    { timeout: 420_000 },
    async () => {
      const page = await newPage();
      await signUpAndVerify(page);

      // --- Export: progress, then the download link. ---
      // A gate the test holds: the archive's last step (its row turning ready) waits for it, so
      // the progress the person sees while it is built can be asserted without racing the build.
      await db.query(`create or replace function e2e_hold_export_ready() returns trigger language plpgsql as $$
      begin perform pg_advisory_xact_lock(${READY_GATE}); return new; end $$`);
      await db.query(`create trigger e2e_hold_export_ready before update on data_exports
      for each row when (new.status = 'ready' and old.status is distinct from 'ready') execute function e2e_hold_export_ready()`);
      await db.query("select pg_advisory_lock($1)", [READY_GATE]);

      await page.goto(`${app.url}/settings?section=data-export`);
      const exportSection = page.getByTestId("data-export");
      await exportSection
        .getByText("Download one ZIP file with everything your account holds", { exact: false })
        .waitFor();
      await exportSection.getByRole("button", { name: "Export my data" }).click();
      const status = page.getByTestId("data-export-status");
      // The archive is being built: a percentage and a progress bar, and no download yet.
      await status.getByText(/Preparing your archive: \d+%/).waitFor();
      expect(await status.getByRole("progressbar", { name: "Export progress" }).count()).toBe(1);
      expect(await page.getByTestId("data-export-download").count()).toBe(0);
      // Asking again is not possible while it runs.
      expect(await exportSection.getByRole("button", { name: "Start a new export" }).isDisabled()).toBe(true);
      await screenshotBoth(page, "settings-data-export-running");

      await db.query("select pg_advisory_unlock($1)", [READY_GATE]);
      const download = page.getByTestId("data-export-download");
      await download.waitFor();
      expect(await status.innerText()).toMatch(
        /Your archive is ready \(.+\)\. You can download it until .+; then it is deleted\./,
      );
      await screenshotBoth(page, "settings-data-export-ready");
      const [file] = await Promise.all([page.waitForEvent("download"), download.click()]);
      const archive = await readFile(await file.path());
      // A ZIP (local file header) holding the account's own data.
      expect(archive.subarray(0, 4).toString("binary")).toBe("PK\x03\x04");
      expect(archive.includes(Buffer.from("account.json"))).toBe(true);
      expect(file.suggestedFilename()).toMatch(/\.zip$/);
      await db.query("drop trigger e2e_hold_export_ready on data_exports");

      // --- Deletion: re-authentication, then the grace period. ---
      await page.goto(`${app.url}/settings?section=delete-account`);
      await page.getByText("Nothing is deleted for 7 days.", { exact: false }).waitFor();
      const submit = page.getByRole("button", { name: "Delete my account" });
      // Nothing happens without the confirmation box.
      expect(await submit.isDisabled()).toBe(true);
      await page.locator('input[name="password"]').fill("not my password");
      await page.getByLabel("I understand that my account and everything in it will be deleted.").check();
      await submit.click();
      await page
        .getByRole("alert")
        .getByText("That password is not correct. Your account was not scheduled for deletion.")
        .waitFor();
      expect((await db.query("select 1 from account_deletion_requests")).rowCount).toBe(0);

      await page.locator('input[name="password"]').fill(password);
      await page.getByLabel("I understand that my account and everything in it will be deleted.").check();
      await page.getByRole("button", { name: "Delete my account" }).click();
      const scheduled = page.getByTestId("deletion-status");
      await scheduled.getByText("Your account is scheduled for deletion on", { exact: false }).waitFor();
      const request = await db.query<{ erase_after: Date; requested_at: Date }>(
        "select erase_after, requested_at from account_deletion_requests r join users u on u.id = r.user_id where u.email = $1",
        [email],
      );
      expect(request.rowCount).toBe(1);
      const { erase_after: eraseAfter, requested_at: requestedAt } = request.rows[0]!;
      expect(eraseAfter.getTime() - requestedAt.getTime()).toBe(7 * 24 * 3600_000);
      // The date it shows is the day it happens.
      const day = eraseAfter.toLocaleDateString("en-US", { month: "long", day: "numeric" });
      expect(await scheduled.innerText()).toContain(day);
      await scheduled.getByText("Until then nothing is removed and you can keep using AnimateImg.").waitFor();
      await screenshotBoth(page, "settings-deletion-scheduled");
      await page.context().close();

      // --- Signing in during the grace period offers to cancel. ---
      const again = await newPage();
      await signIn(again);
      const notice = again.getByTestId("deletion-notice");
      await notice.waitFor();
      expect(await notice.innerText()).toContain("Your account will be deleted on");
      expect(await notice.innerText()).toContain(day);
      await notice.getByText("Changed your mind? Cancel the deletion and everything stays as it is.").waitFor();
      await screenshotBoth(again, "deletion-notice-after-sign-in");
      await notice.getByRole("button", { name: "Cancel deletion" }).click();
      await notice.waitFor({ state: "detached" });
      expect((await db.query("select 1 from account_deletion_requests")).rowCount).toBe(0);

      // Settings offers deletion afresh; the account and its export are all still there.
      await again.goto(`${app.url}/settings?section=delete-account`);
      await again.getByRole("button", { name: "Delete my account" }).waitFor();
      expect(await again.getByTestId("deletion-notice").count()).toBe(0);
      expect((await db.query("select 1 from users where email = $1", [email])).rowCount).toBe(1);
      await again.goto(`${app.url}/settings?section=data-export`);
      await again.getByTestId("data-export-download").waitFor();
      await again.context().close();

      expect(pageProblems).toEqual([]);
    },
  );
});
