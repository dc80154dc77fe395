import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { repoRoot } from "./app-under-test";
import { phoneLayoutProblems } from "./phone-layout";

/** Debian's chromium, headless; nothing is downloaded. CHROMIUM_PATH overrides the binary. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export const screenshotDir = path.join(repoRoot, "test-artifacts", "screenshots");
export const viewports = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
} as const;

/**
 * `<name>-phone.png` and `<name>-desktop.png`, full page, then back to the desktop size; fails
 * when the phone layout scrolls sideways or has controls too small to tap (phone-layout.ts).
 */
export async function screenshotBoth(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  const problems: string[] = [];
  // Every picture on the page has really loaded (a broken one fails the test), and videos have
  // their metadata, so the screenshot shows the page as a reader sees it.
  await page.evaluate(() => document.querySelectorAll("img").forEach((img) => (img.loading = "eager")));
  await page.waitForFunction(
    () =>
      Array.from(document.images).every((img) => img.complete && img.naturalWidth > 0) &&
      Array.from(document.querySelectorAll("video")).every((video) => video.readyState >= 1),
    undefined,
    { timeout: 30_000 },
  );
  for (const [size, viewport] of Object.entries(viewports)) {
    await page.setViewportSize(viewport);
    // Let layout settle at the new width: wait for two animation frames rather than a timer.
    await page.evaluate(
      () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
    );
    // caret "initial": hiding the caret makes Playwright write inline styles on inputs, and a page
    // still hydrating on a loaded machine then reports a hydration mismatch that is the harness's.
    await page.screenshot({ path: path.join(screenshotDir, `${name}-${size}.png`), fullPage: true, caret: "initial" });
    if (size === "phone") problems.push(...(await phoneLayoutProblems(page)).map((problem) => `${name}: ${problem}`));
  }
  await page.setViewportSize(viewports.desktop);
  // Every page must work on a phone: no sideways scrolling, no controls too small to tap.
  if (problems.length > 0) throw new Error(`Phone layout (390 px):\n  ${problems.join("\n  ")}`);
}
