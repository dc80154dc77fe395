// Builds apps/web for production (its own dist dir) and holds the workspace page's first-load
// JavaScript to the budget stated in the README.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "./app-under-test";
import { WORKSPACE_FIRST_LOAD_BUDGET_KB, kb, measureFirstLoadJs } from "./js-budget";

const webDir = path.join(repoRoot, "apps/web");
const distDir = `.next-budget-${process.pid}`;

afterAll(() => rmSync(path.join(webDir, distDir), { recursive: true, force: true }));

describe("first-load JavaScript budget", () => {
  it(`keeps /workspace within ${WORKSPACE_FIRST_LOAD_BUDGET_KB} kB gzip`, { timeout: 480_000 }, async () => {
    await promisify(execFile)(path.join(webDir, "node_modules/.bin/next"), ["build"], {
      cwd: webDir,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...process.env,
        NEXT_DIST_DIR: distDir,
        NEXT_TELEMETRY_DISABLED: "1",
        // The build validates the environment but connects to nothing.
        DATABASE_URL: "postgres://build@127.0.0.1:1/build",
        TEMPORAL_ADDRESS: "127.0.0.1:1",
        BLOB_URL_SECRET: randomBytes(32).toString("base64url"),
      },
    });
    const report = measureFirstLoadJs(path.join(webDir, distDir), "/workspace");
    console.log(
      `first-load JS of /workspace: ${kb(report.totalGzipBytes)} kB gzip in ${report.files.length} files (budget ${WORKSPACE_FIRST_LOAD_BUDGET_KB} kB)`,
    );
    expect(report.files.length).toBeGreaterThan(0);
    expect(kb(report.totalGzipBytes)).toBeLessThanOrEqual(WORKSPACE_FIRST_LOAD_BUDGET_KB);
  });
});
