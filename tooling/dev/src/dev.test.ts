// The quick start's first command, end to end: the dev orchestrator brings up Postgres
// (database + migrations + demo user), a Temporal dev server, the worker and the web app,
// the web app reports all three parts healthy, and Ctrl-C stops every child.
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import { findTemporalCli, freePort, isPortOpen, waitFor } from "@animateimg/local-services";
import { repoRoot } from "./env";

declare module "vitest" {
  export interface ProvidedContext {
    postgresServerUrl: string;
  }
}

const dataDir = mkdtempSync(path.join(tmpdir(), "animateimg-dev-"));
chmodSync(dataDir, 0o755);
const databaseName = `dev_test_${process.pid}`;

afterAll(async () => {
  rmSync(path.join(repoRoot, "apps/web", `.next-test-${process.pid}`), { recursive: true, force: true });
  const admin = new pg.Client({ connectionString: inject("postgresServerUrl") });
  await admin.connect();
  await admin.query(`drop database if exists "${databaseName}" with (force)`);
  await admin.end();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start (tooling/dev/src/dev.ts)", () => {
  it("brings the whole app up healthy and stops every child on Ctrl-C", { timeout: 300_000 }, async () => {
    const [webPort, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
    const cliPath = await findTemporalCli({ dataDir: process.env.ANIMATEIMG_DATA_DIR ?? path.join(repoRoot, ".data") });
    const serverUrl = new URL(inject("postgresServerUrl"));
    // With the offline demo providers, so all five models can run here.
    const child = spawn(path.join(repoRoot, "node_modules/.bin/tsx"), ["tooling/dev/src/dev.ts", "--demo-providers"], {
      cwd: repoRoot,
      env: {
        ...process.env,
        DATABASE_URL: "",
        DATABASE_NAME: databaseName,
        TEMPORAL_ADDRESS: "",
        TEMPORAL_CLI_PATH: cliPath,
        TEMPORAL_DEV_PORT: String(temporalPort),
        TEMPORAL_UI_PORT: String(uiPort),
        TEMPORAL_TASK_QUEUE: `dev-test-${process.pid}`,
        ANIMATEIMG_DATA_DIR: dataDir,
        WEB_PORT: String(webPort),
        NEXT_DIST_DIR: `.next-test-${process.pid}`,
        DEMO_USER_EMAIL: "quickstart@example.test",
        DEMO_USER_PASSWORD: "quickstart-pass",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

    try {
      await waitFor("the dev command to say the app is up", () => Promise.resolve(output.includes("AnimateImg is up") ? true : undefined), {
        timeoutMs: 240_000,
        intervalMs: 250,
      }).catch((error: Error) => {
        throw new Error(`${error.message}\n--- output ---\n${output}`);
      });
      expect(output).toContain(`AnimateImg is up at http://localhost:${webPort}`);
      expect(output).toContain("demo account: quickstart@example.test / quickstart-pass");
      expect(output).toMatch(/^postgres: using the server on 127\.0\.0\.1:5432/m);
      expect(output).toContain(`temporal: dev server on 127.0.0.1:${temporalPort}`);

      const health = (await (await fetch(`http://127.0.0.1:${webPort}/api/trpc/system.health`)).json()) as {
        result: { data: { json: { status: string; worker: { identity: string } } } };
      };
      expect(health.result.data.json.status).toBe("healthy");
      const models = (await (await fetch(`http://127.0.0.1:${webPort}/api/trpc/generation.models`)).json()) as {
        result: { data: { json: Array<{ id: string; available: boolean }> } };
      };
      expect(models.result.data.json.filter((m) => m.available).map((m) => m.id)).toEqual([
        "animate",
        "kling-3",
        "veo-3.1",
        "seedance-2",
        "motion-control",
      ]);
      expect(output).toMatch(/^providers: demo mode, local fakes of Kling, Google, BytePlus, Kie, fal and Replicate/m);
      // No payment keys: the local Stripe fake takes payments, so buying credits works offline.
      expect(output).toMatch(/^payments: no STRIPE_SECRET_KEY, so the local Stripe fake at http:\/\/127\.0\.0\.1:\d+ takes payments/m);
      const home = await (await fetch(`http://127.0.0.1:${webPort}/`)).text();
      expect(home).toContain("Turn a still photo into a short cinematic video");
      expect(home).toContain(`data-testid="status-line"`); // the health line (system.health) on the home page

      // The demo user exists with a real hash, in the database the command created.
      const db = new pg.Client({ connectionString: Object.assign(serverUrl, { pathname: `/${databaseName}` }).toString() });
      await db.connect();
      const users = await db.query<{ email: string; password_hash: string }>("select email, password_hash from users");
      await db.end();
      expect(users.rows.map((row) => row.email)).toEqual(["quickstart@example.test"]);
      expect(users.rows[0]?.password_hash).toMatch(/^\$argon2id\$/);
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
    expect(output).toContain("stopped.");
    // Every port it opened is closed again: web, Temporal gRPC and UI.
    for (const port of [webPort, temporalPort, uiPort]) expect(await isPortOpen("127.0.0.1", port)).toBe(false);
  });
});
