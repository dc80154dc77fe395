// Builds apps/web for production and holds the workspace page's first-load JavaScript to the
// budget stated in the README. The build is the one every test shares (`.next-tests`, as
// tooling/dev/src/dev.test.ts and scale-out use it): `pnpm build:web`'s stamp and lock make it
// once per test run, and not at all while a previous run's build is current.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./app-under-test";
import { WORKSPACE_FIRST_LOAD_BUDGET_KB, kb, measureFirstLoadJs } from "./js-budget";

const webDir = path.join(repoRoot, "apps/web");
const distDir = ".next-tests";

describe("first-load JavaScript budget", () => {
  it(`keeps /workspace within ${WORKSPACE_FIRST_LOAD_BUDGET_KB} kB gzip`, { timeout: 480_000 }, async () => {
    // The build reads no deployment setting (apps/web/src/env.ts gives it placeholders).
    await promisify(execFile)(path.join(repoRoot, "node_modules/.bin/tsx"), ["tooling/dev/src/build-web.ts"], {
      cwd: repoRoot,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NEXT_DIST_DIR: distDir },
    });
    const report = measureFirstLoadJs(path.join(webDir, distDir), "/workspace");
    console.log(
      `first-load JS of /workspace: ${kb(report.totalGzipBytes)} kB gzip in ${report.files.length} files (budget ${WORKSPACE_FIRST_LOAD_BUDGET_KB} kB)`,
    );
    expect(report.files.length).toBeGreaterThan(0);
    expect(kb(report.totalGzipBytes)).toBeLessThanOrEqual(WORKSPACE_FIRST_LOAD_BUDGET_KB);
  });
});
