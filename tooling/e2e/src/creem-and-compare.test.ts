// The app as `npm start -- --demo-providers` runs it with PAYMENTS_PROVIDER=creem and an
// administrator: the deployment choices journey.test.ts does not make, in one more app (this
// machine starts as few as it can).
// - Buying through Creem: with no key, `npm start` runs the local Creem fake and points the
//   official SDK at it. A pack bought on Creem's hosted checkout raises the header's balance
//   once, live, in another tab that is never reloaded; the history names it with a receipt.
// - Comparing models: one photo on four models (every provider played by its local fake), the
//   whole batch's price before starting, one idempotency key per item, the results side by
//   side in the compare view.
// - Phone and desktop screenshots of /admin/providers, /privacy, /pricing, the signed-out pages
//   (sign-in, forgot/reset password, unsubscribe) and every Settings section (screenshotBoth
//   fails on sideways scrolling or controls under 24 px).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type {} from "@animateimg/db/testing";
import { ledgerViolations } from "@animateimg/billing/testing";
import { getCreditStanding, grantCredits } from "@animateimg/billing";
import { createDb } from "@animateimg/db";
import { startApp, type AppUnderTest } from "./app-under-test";
import { launchChromium, screenshotBoth, viewports } from "./browser";

let app: AppUnderTest;
let browser: Browser;
let photo: Buffer;
const admin = { email: "admin@animateimg.test", password: "harbour-admin-lantern" };
const demo = { email: "demo@animateimg.local", password: "animate-demo" };
/** Uncaught errors, hydration mismatches and CSP violations: none are expected. */
const pageProblems: string[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "animateimg-e2e-compare-"));
  execFileSync("ffmpeg", [
    "-loglevel",
    "error",
    "-f",
    "lavfi",
    "-i",
    "mandelbrot=size=1280x720",
    "-frames:v",
    "1",
    "-q:v",
    "3",
    path.join(dir, "harbour.jpg"),
  ]);
  photo = readFileSync(path.join(dir, "harbour.jpg"));
  rmSync(dir, { recursive: true, force: true });
  [app, browser] = await Promise.all([
    startApp({
      postgresServerUrl: inject("postgresServerUrl"),
      name: "e2ecreem",
      args: ["--demo-providers"],
      env: { PAYMENTS_PROVIDER: "creem", ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password },
    }),
    launchChromium(),
  ]);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
}, 60_000);

async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  page.on("pageerror", (error) => pageProblems.push(`${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /hydrat|^Content Security Policy violation:/i.test(message.text()))
      pageProblems.push(`${page.url()}: ${message.text()}`);
  });
  return page;
}

async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto(`${app.url}/sign-in`);
  await page.locator('input[name="email"]').fill(who.email);
  await page.locator('input[name="password"]').fill(who.password);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

const chipCredits = (page: Page) =>
  page
    .locator('[data-testid="balance-chip-credits"]')
    .innerText()
    .then((text) => Number(/\d+/.exec(text.replace(/[,.\s]/g, ""))![0]));

describe("buying credits through Creem", () => {
  it(
    "buys a pack on the local Creem checkout and the header's balance rises once without a reload",
    { timeout: 300_000 },
    async () => {
      expect(app.output()).toContain("the local Creem fake");
      const context = await browser.newContext({ viewport: viewports.desktop });
      const watcher = await newPage(context);
      await signIn(watcher, demo);
      await watcher.goto(`${app.url}/workspace`);
      await watcher.waitForFunction(() =>
        /\d/.test(document.querySelector('[data-testid="balance-chip-credits"]')?.textContent ?? ""),
      );
      const before = await chipCredits(watcher);
      // Anything set on this page survives only if it is never reloaded.
      await watcher.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

      // In another tab: Buy credits from the chip → pricing → Creem's hosted checkout (its own port).
      const buyer = await newPage(context);
      await buyer.goto(`${app.url}/workspace`);
      await buyer.locator('[data-testid="balance-chip"]').click();
      await buyer.waitForURL(/\/pricing/);
      await buyer.locator('[data-testid="buy-pack_100"]').click();
      await buyer.waitForURL(/\/checkout\/ch_/);
      expect(new URL(buyer.url()).origin).not.toBe(new URL(app.url).origin);
      await buyer.locator('[data-testid="checkout-amount"]').waitFor();
      // A declined card first: the checkout says so and nothing is charged.
      await buyer.locator("#card").fill("4000000000000002");
      await buyer.locator('[data-testid="checkout-pay"]').click();
      await buyer.locator('[data-testid="checkout-error"]').waitFor();
      await buyer.locator("#card").fill("4242424242424242");
      await buyer.locator("#name").fill("Demo Payer");
      await buyer.locator('[data-testid="checkout-pay"]').click();
      // Creem returns to our success URL with its own query parameters added.
      await buyer.waitForURL(/\/settings\?section=billing&checkout=success/);
      await buyer.locator('[data-testid="checkout-success"]').waitFor();

      // The first tab's chip rises by exactly the pack, live.
      await watcher.waitForFunction(
        (expected) =>
          Number(
            (document.querySelector('[data-testid="balance-chip-credits"]')?.textContent ?? "").replace(/\D/g, ""),
          ) === expected,
        before + 100,
        { timeout: 120_000 },
      );
      expect(await watcher.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

      // Settings → Billing lists the one purchase with a receipt link.
      await buyer.reload();
      const history = buyer.locator('[data-testid="credit-history"]');
      await history.locator('tr[data-kind="purchase"]').first().waitFor();
      expect(await history.locator('tr[data-kind="purchase"]').count()).toBe(1);
      expect(await history.locator('tr[data-kind="purchase"] [data-testid="receipt-link"]').count()).toBe(1);
      await screenshotBoth(buyer, "settings-billing-creem");

      // Once, in the database too: one purchase row from Creem, its order id as the reference, and
      // the books balance.
      const db = createDb({ url: app.databaseUrl, maxConnections: 1 });
      try {
        const purchases = await db
          .selectFrom("credit_ledger")
          .innerJoin("users", "users.id", "credit_ledger.user_id")
          .select([
            "credit_ledger.amount",
            "credit_ledger.payment_processor",
            "credit_ledger.payment_reference",
            "credit_ledger.payment_plan",
          ])
          .where("users.email", "=", "demo@animateimg.local")
          .where("credit_ledger.kind", "=", "purchase")
          .execute();
        expect(
          purchases.map(({ payment_reference, ...rest }) => ({
            ...rest,
            orderId: /^ord_/.test(payment_reference ?? ""),
          })),
        ).toEqual([{ amount: 100, payment_processor: "creem", payment_plan: "pack_100", orderId: true }]);
        expect(await ledgerViolations(db)).toEqual([]);
      } finally {
        await db.destroy();
      }
      expect(await chipCredits(watcher)).toBe(before + 100);
      expect(pageProblems).toEqual([]);
      await context.close();
    },
  );
});

describe("comparing models in a browser", () => {
  it(
    "starts one photo on four models with the batch's price shown first, one key per item, and shows them side by side",
    { timeout: 420_000 },
    async () => {
      // Enough credits for four videos whatever the pack test left.
      const db = createDb({ url: app.databaseUrl, maxConnections: 1 });
      try {
        const user = await db
          .selectFrom("users")
          .select("id")
          .where("email", "=", demo.email)
          .executeTakeFirstOrThrow();
        await grantCredits(db, {
          userId: user.id,
          amount: 1000,
          kind: "grant",
          idempotencyKey: `e2e-compare:${user.id}`,
          reason: "e2e test",
        });
        const context = await browser.newContext({ viewport: viewports.desktop });
        const page = await newPage(context);
        await signIn(page, demo);
        await page.goto(`${app.url}/workspace`);
        await page.locator('[data-testid="mode-models"]').check();
        await page
          .locator('[data-testid="upload-input"]')
          .setInputFiles({ name: "harbour.jpg", mimeType: "image/jpeg", buffer: photo });
        await page.locator('[data-testid="chosen-image"]').waitFor();
        // Animate (chosen already, its settings in the form) and three providers' models.
        expect(await page.locator('[data-testid="model-animate"] input').isChecked()).toBe(true);
        await page
          .locator('[data-testid="price-summary"]')
          .getByText("Choose at least two models to compare.")
          .waitFor();
        expect(await page.locator('[data-testid="generate"]').isDisabled()).toBe(true);
        for (const id of ["kling-3", "veo-3.1", "seedance-2"])
          await page.locator(`[data-testid="model-${id}"] input`).check();
        // Four is the most: the fifth model cannot be added.
        expect(await page.locator('[data-testid="model-motion-control"] input').isDisabled()).toBe(true);
        await page.locator('[data-testid="param-resolution"]').selectOption({ label: "480p" });
        await page.locator('[data-testid="param-durationSeconds"]').fill("2");
        // The whole batch's price, before anything starts.
        const price = page.locator('[data-testid="price"]', { hasText: /credits for 4 videos/ });
        await price.waitFor();
        const total = Number(/(\d+) credits for 4 videos/.exec(await price.innerText())![1]);
        expect(total).toBeGreaterThan(4);
        await screenshotBoth(page, "workspace-compare-models");
        const before = (await getCreditStanding(db, user.id)).available;
        expect(
          await db
            .selectFrom("generations")
            .select("id")
            .where("user_id", "=", user.id)
            .where("model_id", "!=", "animate")
            .execute(),
        ).toEqual([]);

        await page.locator('[data-testid="generate"]', { hasText: "Generate 4 videos" }).click();
        await page.waitForURL(/\/activity\/compare\?ids=/);
        const ids = new URL(page.url()).searchParams.get("ids")!.split(",");
        expect(ids).toHaveLength(4);
        const items = page.locator('[data-testid="compare-item"]');
        await expect.poll(() => items.count(), { timeout: 30_000 }).toBe(4);
        await page
          .locator('[data-testid="compare-summary"]', { hasText: `4 of 4 ready · ${total} credits in total` })
          .waitFor({ timeout: 300_000 });
        expect(await items.evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-status")))).toEqual([
          "succeeded",
          "succeeded",
          "succeeded",
          "succeeded",
        ]);

        // What was started: the four models on the one photo, each under a key of its own, charged
        // exactly the price shown.
        const rows = await db
          .selectFrom("generations")
          .select(["id", "model_id", "image_asset_id", "idempotency_key", "price_credits", "status"])
          .where("user_id", "=", user.id)
          .where("id", "in", ids)
          .execute();
        expect(rows.map((r) => r.model_id).sort()).toEqual(["animate", "kling-3", "seedance-2", "veo-3.1"]);
        expect(new Set(rows.map((r) => r.image_asset_id)).size).toBe(1);
        expect(new Set(rows.map((r) => r.idempotency_key)).size).toBe(4);
        expect(rows.reduce((sum, r) => sum + r.price_credits, 0)).toBe(total);
        expect((await getCreditStanding(db, user.id)).available).toBe(before - total);
        expect(await ledgerViolations(db)).toEqual([]);

        // Side by side: one row of four on a desktop, two rows of two on a phone.
        const rowsAt = async () => {
          const tops = await items.evaluateAll((nodes) =>
            nodes.map((node) => Math.round(node.getBoundingClientRect().top)),
          );
          return [...new Set(tops)].map((top) => tops.filter((t) => t === top).length);
        };
        expect(await rowsAt()).toEqual([4]);
        await page.setViewportSize(viewports.phone);
        await expect.poll(rowsAt, { timeout: 30_000 }).toEqual([2, 2]);
        await page.setViewportSize(viewports.desktop);
        // Play together: every clip starts (a 2 s clip may end before a slow machine starts the
        // last one, so each records its own "playing" rather than all playing at one instant).
        expect(await page.locator('[data-testid="compare-grid"] video').count()).toBe(4);
        await page.evaluate(() =>
          document.querySelectorAll<HTMLVideoElement>('[data-testid="compare-grid"] video').forEach((video) => {
            video.dataset.played = "";
            video.addEventListener("playing", () => (video.dataset.played = "yes"), { once: true });
          }),
        );
        await page.locator('[data-testid="compare-play"]').click();
        await expect
          .poll(
            () =>
              page.evaluate(() =>
                Array.from(document.querySelectorAll<HTMLVideoElement>('[data-testid="compare-grid"] video')).map(
                  (v) =>
                    `${v.dataset.played === "yes" ? "played" : "not played"} (readyState ${v.readyState}, error ${v.error?.code ?? "none"})`,
                ),
              ),
            { timeout: 60_000, interval: 250 },
          )
          .toSatisfy((states: string[]) => states.length === 4 && states.every((state) => state.startsWith("played")));
        await screenshotBoth(page, "compare-models");
        expect(pageProblems).toEqual([]);
        await context.close();
      } finally {
        await db.destroy();
      }
    },
  );
});

describe("every page at phone and desktop sizes", () => {
  it(
    "screenshots /admin/providers, /privacy, /pricing, the signed-out pages and each Settings section",
    { timeout: 300_000 },
    async () => {
      const visitor = await newPage(await browser.newContext({ viewport: viewports.desktop }));
      await visitor.goto(`${app.url}/privacy`);
      await visitor.locator("main h1").first().waitFor();
      await screenshotBoth(visitor, "privacy");
      await visitor.goto(`${app.url}/pricing`);
      await visitor.locator('[data-testid="offer-pack_100"]').waitFor();
      await screenshotBoth(visitor, "pricing-visitor");
      // The pages a signed-out person reaches from a link or an email (a reset link's form, an
      // unsubscribe link that is not valid).
      for (const [name, pathname] of [
        ["sign-in", "/sign-in"],
        ["forgot-password", "/forgot-password"],
        ["reset-password", "/reset-password?token=not-a-real-token"],
        ["unsubscribe-invalid", "/unsubscribe/not-a-real-token"],
      ] as const) {
        await visitor.goto(`${app.url}${pathname}`);
        await visitor.locator("h1").first().waitFor();
        await screenshotBoth(visitor, name);
      }
      await visitor.locator('[data-testid="unsubscribe-invalid"]').waitFor();
      await visitor.context().close();

      const context = await browser.newContext({ viewport: viewports.desktop });
      const page = await newPage(context);
      await signIn(page, admin);
      await page.goto(`${app.url}/admin/providers`);
      await page.getByRole("heading", { level: 1, name: "Provider health" }).waitFor();
      await page.locator("table").first().waitFor();
      await screenshotBoth(page, "admin-providers");
      await page.goto(`${app.url}/pricing`);
      await page.locator('[data-testid="offer-pack_100"]').waitFor();
      await screenshotBoth(page, "pricing");

      await page.goto(`${app.url}/settings`);
      const sections = await page
        .locator('nav a[href^="/settings?section="]')
        .evaluateAll((links) => links.map((a) => a.getAttribute("href")!.split("=")[1]!));
      expect(sections).toEqual(expect.arrayContaining(["profile", "billing", "privacy", "appearance"]));
      for (const section of sections) {
        await page.goto(`${app.url}/settings?section=${section}`);
        await page.locator(`a[href="/settings?section=${section}"][aria-current="page"]`).waitFor();
        await page.locator("#settings-section-heading").waitFor();
        await screenshotBoth(page, `settings-${section}-admin`);
      }
      expect(pageProblems).toEqual([]);
      await context.close();
    },
  );
});
