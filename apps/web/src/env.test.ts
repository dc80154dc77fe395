// Production refuses to start without SMTP: the outbox table is a development aid, and in
// production it would quietly keep every sign-in link there and send nothing.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const webRoot = path.resolve(import.meta.dirname, "..");
const tsx = path.resolve(webRoot, "../../node_modules/.bin/tsx");

function loadEnv(extra: {
  NODE_ENV: "development" | "production";
  SMTP_URL?: string;
  LOCAL_INSTANCE?: string;
  APP_URL?: string;
  WEBHOOKS_ALLOW_LOCAL_HTTP?: string;
}) {
  const result = spawnSync(tsx, ["-e", 'import("./src/env.ts").then(() => console.log("env loaded"))'], {
    cwd: webRoot,
    encoding: "utf8",
    // Only these variables: nothing from the test run's own environment leaks in.
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: "postgres://app@127.0.0.1:5432/app",
      TEMPORAL_ADDRESS: "127.0.0.1:7233",
      BLOB_URL_SECRET: "0123456789abcdef0123456789abcdef0123456789abcdef",
      ...extra,
    },
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("web environment", () => {
  // Each case spawns a process that loads the environment module: slow on a loaded machine.
  it("refuses to start in production without SMTP_URL, naming the variable", { timeout: 300_000 }, () => {
    const { code, output } = loadEnv({ NODE_ENV: "production" });
    expect(code, output).toBe(78);
    expect(output).toContain("Configuration error: SMTP_URL is invalid: must be set in production");
    expect(output).not.toContain("env loaded");
  });

  it("starts in production with SMTP_URL, and in development without it", { timeout: 300_000 }, () => {
    expect(loadEnv({ NODE_ENV: "production", SMTP_URL: "smtps://user:pass@mail.example.test:465" }).output).toContain(
      "env loaded",
    );
    expect(loadEnv({ NODE_ENV: "development" }).output).toContain("env loaded");
  });

  // `npm start` serves the production build on this machine (issue 19): the outbox stands in for
  // SMTP there, and only there.
  // Four processes, each loading the environment module: minutes on a loaded machine.
  it(
    "lets LOCAL_INSTANCE run a production build without SMTP, on a loopback http APP_URL only",
    { timeout: 300_000 },
    () => {
      for (const appUrl of ["http://127.0.0.1:4123"]) {
        const { output } = loadEnv({
          NODE_ENV: "production",
          LOCAL_INSTANCE: "1",
          APP_URL: appUrl,
          WEBHOOKS_ALLOW_LOCAL_HTTP: "1",
        });
        expect(output, appUrl).toContain("env loaded");
      }
      for (const appUrl of ["https://localhost:3000", "http://app.example.test"]) {
        const { code, output } = loadEnv({
          NODE_ENV: "production",
          LOCAL_INSTANCE: "1",
          APP_URL: appUrl,
          SMTP_URL: "smtp://mail.example.test:25",
        });
        expect(code, appUrl).toBe(78);
        expect(output).toContain("Configuration error: LOCAL_INSTANCE is invalid: is only for an app on this machine");
      }
      // Without it, production still refuses local-http webhooks.
      const { code, output } = loadEnv({
        NODE_ENV: "production",
        SMTP_URL: "smtp://mail.example.test:25",
        WEBHOOKS_ALLOW_LOCAL_HTTP: "1",
      });
      expect(code, output).toBe(78);
      expect(output).toContain("WEBHOOKS_ALLOW_LOCAL_HTTP is invalid: must not be set in production");
    },
  );
});
