import { defineConfig } from "vitest/config";

// One project for unit and integration tests: they share a single global setup (one
// Postgres template, one Temporal dev server, one workflow bundle per run).
export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts", "tooling/*/src/**/*.test.ts"],
    globalSetup: ["./tooling/testing/global-setup.ts"],
    reporters: ["default", "./tooling/testing/summary-reporter.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
