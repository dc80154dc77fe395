// The creator's journey in a real browser against the whole app (web, worker, Postgres,
// Temporal) as `npm start` runs it: sign up → confirm by the outbox → upload → generate with
// Animate → watch it finish → it plays → share → in the gallery → unshare → gone → delete
// (with undo). Also the wrong-password and oversize-upload messages. Every main page is
// screenshotted at phone and desktop sizes into test-artifacts/screenshots/.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { getBalance, grantCredits } from "@animateimg/billing";
import { createDb } from "@animateimg/db";
import { startApp, type AppUnderTest } from "./app-under-test";
import { launchChromium, screenshotBoth, viewports } from "./browser";

declare module "vitest" {
  export interface ProvidedContext {
    postgresServerUrl: string;
  }
}

let app: AppUnderTest;
let browser: Browser;
let photo: Buffer;
let secondPhoto: Buffer;
const email = `creator-${process.pid}@example.test`;
const password = "lantern harbour violet";

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "animateimg-e2e-photo-"));
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
  execFileSync("ffmpeg", [
    "-loglevel",
    "error",
    "-f",
    "lavfi",
    "-i",
    "testsrc2=size=1280x720",
    "-frames:v",
    "1",
    path.join(dir, "pier.jpg"),
  ]);
  secondPhoto = readFileSync(path.join(dir, "pier.jpg"));
  rmSync(dir, { recursive: true, force: true });
  [app, browser] = await Promise.all([
    startApp({ postgresServerUrl: inject("postgresServerUrl"), name: "e2e" }),
    launchChromium(),
  ]);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
}, 60_000);

/** Uncaught errors, hydration mismatches and CSP violations on any page: none are expected. */
const pageProblems: string[] = [];

async function newPage(context?: BrowserContext): Promise<Page> {
  const page = await (context ?? (await browser.newContext({ viewport: viewports.desktop }))).newPage();
  page.setDefaultTimeout(60_000);
  page.on("pageerror", (error) => pageProblems.push(`${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /hydrat|^Content Security Policy violation:/i.test(message.text()))
      pageProblems.push(`${page.url()}: ${message.text()}`);
  });
  // The app runs under its nonce-based CSP: anything the policy blocks in the app's own code
  // (its scripts or its document) is a failure. Playwright's evaluate/waitForFunction helpers
  // evaluate strings of their own (reported as blocked "eval", thousands per journey); those,
  // and anything without a source in the app, are the harness's, not the app's.
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      if (event.blockedURI === "eval" || !event.sourceFile.startsWith(location.origin)) return;
      console.error(
        `Content Security Policy violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"} (${event.sourceFile})`,
      );
    });
  });
  return page;
}

async function signUpAndVerify(page: Page) {
  await page.goto(`${app.url}/sign-up`);
  await page.locator('input[name="name"]').fill("Harbour Creator");
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('input[name="ageConfirmed"]').check();
  await page.locator('button[type="submit"]').click();
  await page.waitForURL(/\/verify-email/);
  await screenshotBoth(page, "verify-email");

  // The development outbox holds the verification email; its link confirms the address.
  await page.goto(`${app.url}/dev/outbox`);
  const message = page.locator("li.outbox-item", { hasText: email }).first();
  await message.waitFor();
  await screenshotBoth(page, "dev-outbox");
  await message.locator("summary").click();
  const text = await message.locator("pre.outbox-text").innerText();
  const link = /https?:\/\/\S+\/verify-email\?token=[^\s"<>]+/.exec(text)?.[0];
  expect(link, text).toBeDefined();
  await page.goto(link!.replace(/^https?:\/\/[^/]+/, app.url));
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await page.getByText(`${email} is confirmed`).waitFor();
}

async function videoIsPlayable(page: Page, selector: string) {
  await page.waitForFunction(
    (sel) => {
      const video = document.querySelector<HTMLVideoElement>(sel);
      return !!video && video.readyState >= 1 && Number.isFinite(video.duration) && video.duration > 0;
    },
    selector,
    { timeout: 60_000 },
  );
  // Plays for real: time advances.
  await page.evaluate((sel) => {
    const video = document.querySelector<HTMLVideoElement>(sel)!;
    video.muted = true;
    return video.play();
  }, selector);
  await page.waitForFunction((sel) => (document.querySelector<HTMLVideoElement>(sel)?.currentTime ?? 0) > 0, selector, {
    timeout: 30_000,
  });
  return page.evaluate((sel) => document.querySelector<HTMLVideoElement>(sel)!.duration, selector);
}

/**
 * Above the fold on the landing page: the photo the repository ships and the Animate video the
 * server rendered from it with our engine, playing by itself (muted, no controls), and a
 * drawing for each of the five models.
 */
async function landingShowsBeforeAndAfter(page: Page) {
  const figure = page.locator('[data-testid="before-after"]');
  await page.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('[data-testid="before-after"] img');
    return !!img && img.complete && img.naturalWidth === 1600;
  });
  // The video is our engine's output: 16:9 720p, five seconds, and it plays without a click.
  await page.waitForFunction(
    () => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid="showcase-video"]');
      return !!video && !video.paused && video.currentTime > 0;
    },
    undefined,
    { timeout: 90_000 },
  );
  expect(
    await page
      .locator('[data-testid="showcase-video"]')
      .evaluate((video: HTMLVideoElement) => [video.videoWidth, video.videoHeight, Math.round(video.duration)]),
  ).toEqual([1280, 720, 5]);
  for (const viewport of Object.values(viewports)) {
    await page.setViewportSize(viewport);
    const top = await page
      .locator('[data-testid="showcase-video"]')
      .evaluate((video) => video.getBoundingClientRect().top);
    expect(top, `the video starts above the fold at ${viewport.width} px`).toBeLessThan(viewport.height - 100);
  }
  await page.setViewportSize(viewports.desktop);
  await figure.getByText("Before: the photo").waitFor();
  expect(await page.locator('[data-testid^="model-illustration-"]').count()).toBe(5);
}

/**
 * Batch: Animate over two photos, the whole batch's price before starting; the compare view
 * shows both side by side, live, until both finish. Then the Activity grid: hovering a tile
 * plays its clip, and the viewer moves between generations with the keyboard.
 */
async function batchCompareAndGrid(page: Page) {
  await page.goto(`${app.url}/workspace`);
  await page.locator('[data-testid="mode-photos"]').check();
  // The journey's first photo from the recent uploads, and a new one.
  await page.locator("label.recent-tile").first().click();
  await page
    .locator('[data-testid="upload-input"]')
    .setInputFiles({ name: "pier.jpg", mimeType: "image/jpeg", buffer: secondPhoto });
  await page.locator('[data-testid="chosen-images"]', { hasText: "2 of 8 photos chosen." }).waitFor();
  await page.locator('[data-testid="param-resolution"]').selectOption({ label: "480p" });
  await page.locator('[data-testid="param-durationSeconds"]').fill("2");
  await page.locator('[data-testid="price"]', { hasText: "4 credits for 2 videos" }).waitFor();
  await screenshotBoth(page, "workspace-batch");
  await page.locator('[data-testid="generate"]', { hasText: "Generate 2 videos" }).click();

  await page.waitForURL(/\/activity\/compare\?ids=/);
  const items = page.locator('[data-testid="compare-item"]');
  await expect.poll(() => items.count(), { timeout: 30_000 }).toBe(2);
  await page.locator('[data-testid="compare-item"][data-status="succeeded"]').nth(1).waitFor({ timeout: 180_000 });
  await page.locator('[data-testid="compare-summary"]', { hasText: "2 of 2 ready · 4 credits in total" }).waitFor();
  // Side by side at both sizes: the two tiles share a row.
  for (const viewport of Object.values(viewports)) {
    await page.setViewportSize(viewport);
    const tops = await items.evaluateAll((nodes) => nodes.map((node) => Math.round(node.getBoundingClientRect().top)));
    expect(new Set(tops).size, `side by side at ${viewport.width} px`).toBe(1);
  }
  await page.setViewportSize(viewports.desktop);
  await page.locator('[data-testid="compare-play"]').click();
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll<HTMLVideoElement>('[data-testid="compare-grid"] video')).every(
      (v) => !v.paused && v.currentTime > 0,
    ),
  );
  await screenshotBoth(page, "compare");

  // The grid: a finished tile plays muted on hover.
  await page.goto(`${app.url}/activity`);
  const tiles = page.locator('[data-testid="generation-open"]');
  await expect.poll(() => tiles.count(), { timeout: 30_000 }).toBe(2);
  await page.locator('[data-testid="generation-video"]').nth(1).waitFor();
  await tiles.first().hover();
  await page.waitForFunction(() => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="generation-video"]');
    return !!video && video.muted && !video.paused;
  });
  // The viewer: → and ← move, Esc closes; download and share are there.
  await tiles.first().click();
  const viewer = page.locator('[data-testid="viewer"]');
  await viewer.locator('[data-testid="viewer-position"]', { hasText: "1 of 2" }).waitFor();
  const first = await viewer.getAttribute("data-generation-id");
  expect(await viewer.locator('[data-testid="viewer-download"]').getAttribute("href")).toMatch(/^\/api\/blobs\//);
  await viewer.locator('[data-testid="private-toggle"]').waitFor();
  await page.keyboard.press("ArrowRight");
  await viewer.locator('[data-testid="viewer-position"]', { hasText: "2 of 2" }).waitFor();
  expect(await viewer.getAttribute("data-generation-id")).not.toBe(first);
  await screenshotBoth(page, "activity-viewer");
  await page.keyboard.press("ArrowLeft");
  await viewer.locator('[data-testid="viewer-position"]', { hasText: "1 of 2" }).waitFor();
  await page.keyboard.press("Escape");
  await viewer.waitFor({ state: "detached" });
  await screenshotBoth(page, "activity-grid");
}

/**
 * The same account with the system's "reduce motion" on: the landing video waits paused on its
 * poster (with controls to play it by choice), the model drawings stand still, the workspace
 * preview does not play and hovering an Activity tile plays nothing.
 */
async function reducedMotionPausesLoops(signedIn: BrowserContext) {
  const context = await browser.newContext({
    viewport: viewports.phone,
    reducedMotion: "reduce",
    storageState: await signedIn.storageState(),
  });
  const page = await newPage(context);
  await page.goto(app.url);
  // `controls` appears once the page has hydrated and read the preference.
  const video = page.locator('[data-testid="showcase-video"][controls]');
  await video.waitFor();
  await page.waitForFunction(
    () => document.querySelector<HTMLVideoElement>('[data-testid="showcase-video"]')!.readyState >= 2,
  );
  expect(await video.evaluate((v: HTMLVideoElement) => [v.paused, v.currentTime])).toEqual([true, 0]);
  expect(
    await page
      .locator(".model-ill *")
      .evaluateAll((nodes) => nodes.filter((node) => getComputedStyle(node).animationName !== "none").length),
  ).toBe(0);
  await screenshotBoth(page, "landing-reduced-motion");

  await page.goto(`${app.url}/workspace`);
  await page.locator("label.recent-tile").first().click();
  await page.locator('[data-testid="motion-preview-canvas"]').waitFor();
  const preview = page.locator('[data-testid="motion-preview"]');
  await preview.getByText("Paused because your device asks for reduced motion", { exact: false }).waitFor();
  expect(await preview.getAttribute("data-playing")).toBe("false");
  expect(await preview.getAttribute("data-frame")).toBe("0");

  await page.goto(`${app.url}/activity`);
  const tile = page.locator('[data-testid="generation-open"]').first();
  await page.locator('[data-testid="generation-video"]').first().waitFor();
  await tile.hover();
  await tile.focus();
  expect(
    await page
      .locator('[data-testid="generation-video"]')
      .first()
      .evaluate((v: HTMLVideoElement) => v.paused),
  ).toBe(true);
  await context.close();
}

describe("the workspace in a browser", () => {
  it("takes a new creator from sign-up to a shared, unshared and deleted video", { timeout: 420_000 }, async () => {
    const context = await browser.newContext({ viewport: viewports.desktop });
    const page = await newPage(context);

    await page.goto(app.url);
    await page.getByRole("heading", { level: 1, name: "Turn a still photo into a short cinematic video" }).waitFor();
    await landingShowsBeforeAndAfter(page);
    await page.goto(`${app.url}/sign-up`);
    await screenshotBoth(page, "sign-up");

    await signUpAndVerify(page);
    // Enough credits for the journey whatever sign-up granted: top up to at least 40.
    const db = createDb({ url: app.databaseUrl, maxConnections: 1 });
    let balance: number;
    try {
      const user = await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
      const missing = 40 - (await getBalance(db, user.id));
      if (missing > 0)
        await grantCredits(db, {
          userId: user.id,
          amount: missing,
          kind: "grant",
          idempotencyKey: `e2e-top-up:${user.id}`,
          reason: "e2e test",
        });
      balance = await getBalance(db, user.id);
    } finally {
      await db.destroy();
    }

    // Workspace: upload → model → settings → prompt → private (on by default) → price → Generate.
    await page.goto(`${app.url}/workspace`);
    await page
      .locator('[data-testid="upload-input"]')
      .setInputFiles({ name: "harbour.jpg", mimeType: "image/jpeg", buffer: photo });
    await page.locator('[data-testid="chosen-image"]').waitFor();
    expect(await page.locator('[data-testid="model-animate"] input').isChecked()).toBe(true);
    // The free live preview draws Animate's motion on this photo and plays: its frame advances.
    await page.locator('[data-testid="motion-preview-canvas"]').waitFor();
    await page.locator('[data-testid="motion-preview"][data-playing="true"]').waitFor();
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="motion-preview"]')?.getAttribute("data-frame")) > 5,
    );
    expect(await page.locator('[data-testid="model-kling-3"] input').isDisabled()).toBe(true);
    await page.locator('[data-testid="model-kling-3"]').getByText("Not configured on this server").waitFor();
    await page.locator('[data-testid="param-resolution"]').selectOption({ label: "480p" });
    await page.locator('[data-testid="param-durationSeconds"]').fill("2");
    await page.locator('[data-testid="prompt"]').fill("A slow push in over the harbour at dusk");
    await page.getByText("39 / 500 characters").waitFor();
    expect(await page.locator('[data-testid="private-default"]').isChecked()).toBe(true);
    await page.locator('[data-testid="price"]', { hasText: "2 credits" }).waitFor();
    await page.locator('[data-testid="balance"]', { hasText: `${balance} credits` }).waitFor();
    await screenshotBoth(page, "workspace");
    await page.locator('[data-testid="generate"]').click();

    // Progress arrives live from the status stream (no reload): queued/running, then ready.
    const card = page.locator('[data-testid="generation-card"]').first();
    await card.waitFor();
    const generationId = await card.getAttribute("data-generation-id");
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          const status = (await card.getAttribute("data-status")) ?? "";
          seen.add(status);
          return status;
        },
        { timeout: 120_000, interval: 100 },
      )
      .toBe("succeeded");
    expect([...seen].some((status) => status === "queued" || status === "running")).toBe(true);

    // Activity: the video plays, with its poster, and the attempt log reads in plain words.
    await page.goto(`${app.url}/activity`);
    const item = page.locator(`[data-generation-id="${generationId}"]`);
    await item.waitFor();
    expect(await item.locator("video").getAttribute("poster")).toMatch(/^\/api\/blobs\//);
    const duration = await videoIsPlayable(page, `[data-generation-id="${generationId}"] video`);
    expect(duration).toBeGreaterThan(0);
    await item.getByText("Attempt log").click();
    await item
      .locator('[data-testid="attempt-log"]')
      .getByText(/Finished on Animate engine/)
      .waitFor();
    await screenshotBoth(page, "activity");

    // Share it: it appears in the public gallery, for a visitor, without the author's email.
    await item.locator('[data-testid="private-toggle"]').uncheck();
    await item.getByText("shown in the public gallery").waitFor();
    const visitor = await newPage();
    await visitor.goto(`${app.url}/gallery`);
    const shared = visitor.locator(`[data-testid="gallery-item"][data-generation-id="${generationId}"]`);
    await shared.waitFor();
    await shared.getByText("A slow push in over the harbour at dusk").waitFor();
    await shared.getByText("Animate").waitFor();
    expect(await visitor.content()).not.toContain(email);
    await videoIsPlayable(visitor, `[data-generation-id="${generationId}"] video`);
    await screenshotBoth(visitor, "gallery");
    // The landing page shows it among the examples.
    await visitor.goto(app.url);
    await visitor.locator(`[data-testid="gallery-item"][data-generation-id="${generationId}"]`).waitFor();
    await screenshotBoth(visitor, "landing");

    // Private again: gone from the gallery.
    await item.locator('[data-testid="private-toggle"]').check();
    await item.getByText("only you can see it").waitFor();
    await visitor.reload();
    await visitor.locator('[data-testid="gallery-empty"]').waitFor();
    expect(await visitor.locator(`[data-generation-id="${generationId}"]`).count()).toBe(0);

    // Reuse its settings: the workspace opens with the same prompt and parameters.
    await item.getByRole("link", { name: "Reuse settings" }).click();
    await page.waitForURL(/\/workspace\?from=/);
    await page.locator('[data-testid="prompt"]').waitFor();
    expect(await page.locator('[data-testid="prompt"]').inputValue()).toBe("A slow push in over the harbour at dusk");
    expect(await page.locator('[data-testid="param-resolution"] option:checked').innerText()).toBe("480p");
    await page.goto(`${app.url}/activity`);

    // Delete, undo, delete.
    await item.locator('[data-testid="delete-button"]').click();
    await page.locator('[data-testid="undo-toast"]').waitFor();
    await item.waitFor({ state: "detached" });
    await page.locator('[data-testid="undo-toast"]').getByRole("button", { name: "Undo" }).click();
    await item.waitFor();
    await item.locator('[data-testid="delete-button"]').click();
    await item.waitFor({ state: "detached" });
    await page.reload();
    await page.getByText("You have not generated anything yet.").waitFor();

    await batchCompareAndGrid(page);
    await reducedMotionPausesLoops(context);
    // Every other page, at phone and desktop sizes.
    for (const section of ["profile", "email", "password", "sessions", "providers", "api-keys"]) {
      await page.goto(`${app.url}/settings?section=${section}`);
      await page.locator(`a[href="/settings?section=${section}"][aria-current="page"]`).waitFor();
      await screenshotBoth(page, `settings-${section}`);
    }
    for (const [name, pathname] of [
      ["uploads", "/uploads"],
      ["status", "/status"],
    ] as const) {
      await page.goto(`${app.url}${pathname}`);
      await page.locator("main h1").first().waitFor();
      await screenshotBoth(page, name);
    }

    // Settings → Appearance: language and theme are remembered and rendered by the server.
    await page.goto(`${app.url}/settings?section=appearance`);
    await screenshotBoth(page, "settings");
    await page.locator('[data-testid="theme-dark"]').check();
    await page.locator('[data-testid="locale-es"]').check();
    await page.waitForFunction(() => document.documentElement.lang === "es");
    await page.reload();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dataset.theme])).toEqual([
      "es",
      "dark",
    ]);
    await page.getByRole("heading", { level: 1, name: "Ajustes" }).waitFor();
    await page.getByRole("link", { name: "Sesiones" }).waitFor();
    await screenshotBoth(page, "settings-es-dark");
    await page.goto(`${app.url}/workspace`);
    await page.getByRole("heading", { level: 1, name: "Espacio de trabajo" }).waitFor();
    await page
      .locator('[data-testid="model-animate"]')
      .getByText("Nuestro propio motor de movimiento", { exact: false })
      .waitFor();
    await screenshotBoth(page, "workspace-es-dark");
    // Statuses arrive as codes and read in the reader's language: the batch's attempt log in Spanish.
    await page.goto(`${app.url}/activity`);
    const spanishCard = page.locator('[data-testid="generation-card"][data-status="succeeded"]').first();
    await spanishCard.locator("details > summary").click();
    await spanishCard
      .locator('[data-testid="attempt-log"]')
      .getByText(/^Terminado en Motor Animate en \d+\.\d s$/)
      .waitFor();
    await page.goto(app.url);
    await page.getByText("Después: Animate").waitFor();
    await screenshotBoth(page, "landing-es-dark");
    await visitor.context().close();
    await context.close();
    expect(pageProblems).toEqual([]);
  });

  it("serves pages under a nonce-based CSP and the security headers, with every script carrying the nonce", async () => {
    const page = await newPage();
    const response = await page.goto(`${app.url}/gallery`);
    const headers = response!.headers();
    const csp = headers["content-security-policy"] ?? "";
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce, csp).toBeDefined();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    // Every script the server sent carries this request's nonce (scripts those load are
    // trusted through 'strict-dynamic').
    const scripts = (await response!.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    await page.context().close();
  });

  it("says so when the password is wrong", async () => {
    const page = await newPage();
    await page.goto(`${app.url}/sign-in`);
    await page.locator('input[name="email"]').fill(email);
    await page.locator('input[name="password"]').fill("not the password");
    await page.locator('button[type="submit"]').click();
    await page.getByText("Incorrect email or password.").first().waitFor();
    await screenshotBoth(page, "sign-in-error");
    for (const name of ["sign-in", "forgot-password", "reset-password"]) {
      await page.goto(`${app.url}/${name}`);
      await page.locator("h1").first().waitFor();
      await screenshotBoth(page, name);
    }
    await page.context().close();
  });

  it("explains an upload that is too large", async () => {
    const page = await newPage();
    await page.goto(`${app.url}/sign-in`);
    await page.locator('input[name="email"]').fill(email);
    await page.locator('input[name="password"]').fill(password);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    await page.goto(`${app.url}/workspace`);
    // 21 MB: over the 20 MB photo limit, refused by the server with a sentence naming the limit.
    const oversize = Buffer.alloc(21 * 1024 * 1024, 0);
    oversize.set([0xff, 0xd8, 0xff, 0xe0]);
    await page
      .locator('[data-testid="upload-input"]')
      .setInputFiles({ name: "huge.jpg", mimeType: "image/jpeg", buffer: oversize });
    const error = page.locator('[data-testid="upload-error"]');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/20 MB/);
    await page.context().close();
  });
});

describe("buying credits in a browser", () => {
  it(
    "buys a pack on the local checkout and the header's balance rises without a reload",
    { timeout: 300_000 },
    async () => {
      // `npm start` with no payment keys runs the local Stripe fake; the demo account is verified.
      const context = await browser.newContext({ viewport: viewports.desktop });
      const watcher = await newPage(context);
      await watcher.goto(`${app.url}/sign-in`);
      await watcher.locator('input[name="email"]').fill("demo@animateimg.local");
      await watcher.locator('input[name="password"]').fill("animate-demo");
      await watcher.locator('button[type="submit"]').click();
      await watcher.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
      await watcher.goto(`${app.url}/workspace`);
      const chip = watcher.locator('[data-testid="balance-chip-credits"]');
      await watcher.waitForFunction(() =>
        /\d/.test(document.querySelector('[data-testid="balance-chip-credits"]')?.textContent ?? ""),
      );
      const before = Number(/\d+/.exec(await chip.innerText())![0]);
      // Anything set on this page survives only if it is never reloaded.
      await watcher.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

      // In another tab: Buy credits from the chip → pricing → the processor's hosted checkout.
      const buyer = await newPage(context);
      await buyer.goto(`${app.url}/workspace`);
      await buyer.locator('[data-testid="balance-chip"]').click();
      await buyer.waitForURL(/\/pricing/);
      await buyer.locator('[data-testid="offer-pack_100"]').waitFor();
      await screenshotBoth(buyer, "pricing");
      await buyer.locator('[data-testid="buy-pack_100"]').click();
      await buyer.waitForURL(/\/checkout\/cs_test_/);
      // A declined card first: the checkout says so and nothing is charged.
      await buyer.locator("#card").fill("4000000000000002");
      await buyer.locator('[data-testid="checkout-pay"]').click();
      await buyer.locator('[data-testid="checkout-error"]').waitFor();
      await buyer.locator("#card").fill("4242424242424242");
      await buyer.locator("#name").fill("Demo Payer");
      await buyer.locator('[data-testid="checkout-pay"]').click();
      await buyer.waitForURL(/\/settings\?section=billing&checkout=success/);
      await buyer.locator('[data-testid="checkout-success"]').waitFor();

      // The first tab's chip rises by exactly the pack, live.
      await watcher.waitForFunction(
        (expected) =>
          document.querySelector('[data-testid="balance-chip-credits"]')?.textContent?.includes(String(expected)) ??
          false,
        before + 100,
        { timeout: 120_000 },
      );
      expect(await watcher.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

      // Settings → Billing lists the purchase with a receipt link.
      await buyer.reload();
      const history = buyer.locator('[data-testid="credit-history"]');
      await history.locator('tr[data-kind="purchase"]').first().waitFor();
      expect(await history.locator('tr[data-kind="purchase"] [data-testid="receipt-link"]').count()).toBe(1);
      await screenshotBoth(buyer, "settings-billing");
      expect(Number(/\d+/.exec(await chip.innerText())![0])).toBe(before + 100);
      expect(pageProblems).toEqual([]);
      await context.close();
    },
  );
});
