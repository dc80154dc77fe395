// The quick start's first command, end to end: the dev orchestrator brings up Postgres
// (database + migrations + demo user), a Temporal dev server, the worker and the web app,
// the web app reports all three parts healthy, and Ctrl-C — sent as a terminal sends it, to
// the whole foreground process group of `npm start` — stops every process it started.
//
// `npm start` serves a production build (issue 19). The build goes to `.next-tests`, the folder
// every test that needs one shares (js-budget, scale-out): stamped and locked
// (tooling/dev/src/web-build.ts), so a test run builds the web app once, and not at all when a
// previous run's build is still current.
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import { findTemporalCli, freePort, isPortOpen, startTemporalDevServer, waitFor } from "@animateimg/local-services";
import { repoRoot } from "./env";

declare module "vitest" {
  export interface ProvidedContext {
    postgresServerUrl: string;
  }
}

/** The production build every test that needs one shares (see above). */
const SHARED_TEST_BUILD = ".next-tests";
const dataDir = mkdtempSync(path.join(tmpdir(), "animateimg-dev-"));
chmodSync(dataDir, 0o755);
const databaseName = `dev_test_${process.pid}`;

// Process groups of `npm start` runs, stopped here too if a test ended early (a timeout).
const groups = new Set<number>();

afterAll(async () => {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, "SIGINT");
    } catch {
      // Already gone.
    }
  }
  await waitFor(
    "left-over runs to stop",
    () => Promise.resolve([...groups].every((pgid) => !isRunning(pgid)) ? true : undefined),
    {
      timeoutMs: 30_000,
    },
  ).catch(() => undefined);
  const admin = new pg.Client({ connectionString: inject("postgresServerUrl") });
  await admin.connect();
  await admin.query(`drop database if exists "${databaseName}" with (force)`);
  await admin.end();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Every process descended from `pid` right now (from /proc's parent links). */
function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone while we looked.
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function isRunning(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, "utf8");
    return state.slice(state.lastIndexOf(")") + 2, state.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

describe("npm start (tooling/dev/src/dev.ts)", () => {
  it(
    "brings the whole app up healthy from a production build and stops every child on Ctrl-C",
    { timeout: 1_200_000 },
    async () => {
      const [webPort, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
      const cliPath = await findTemporalCli({
        dataDir: process.env.ANIMATEIMG_DATA_DIR ?? path.join(repoRoot, ".data"),
      });
      const serverUrl = new URL(inject("postgresServerUrl"));
      // With the offline demo providers, so all five models can run here.
      const env = {
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
        NEXT_DIST_DIR: SHARED_TEST_BUILD,
        DEMO_USER_EMAIL: "quickstart@example.test",
        DEMO_USER_PASSWORD: "quickstart-pass",
      };
      // `npm start` as a person runs it: its own process group (a terminal's foreground job).
      const child = spawn("npm", ["start", "--", "--demo-providers"], {
        cwd: repoRoot,
        env,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      groups.add(child.pid!);
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      let started: number[] = [];

      try {
        // A cold start includes `next build` when no current build is there (minutes on 2 busy cores).
        await waitFor(
          "the dev command to say the app is up",
          () => Promise.resolve(output.includes("AnimateImg is up") ? true : undefined),
          {
            timeoutMs: 900_000,
            intervalMs: 250,
          },
        ).catch((error: Error) => {
          throw new Error(`${error.message}\n--- output ---\n${output}`);
        });
        expect(output).toContain(`AnimateImg is up at http://localhost:${webPort}`);
        expect(output).toContain("demo account: quickstart@example.test / quickstart-pass");
        expect(output).toMatch(
          /emails \(no SMTP_URL\): .*\/dev\/outbox — readable only from this machine, by anyone on it/,
        );
        expect(output).toMatch(/^postgres: using the server on 127\.0\.0\.1:5432/m);
        expect(output).toContain(`temporal: dev server on 127.0.0.1:${temporalPort}`);
        // The production build, served as production, and the worker on the prebuilt workflow bundle.
        expect(output).toMatch(
          new RegExp(`^web: production build (ready in|in) apps/web/${SHARED_TEST_BUILD.replace(".", "\\.")}`, "m"),
        );
        expect(output).toMatch(/^\[web\] web: listening on http:\/\/127\.0\.0\.1:\d+ \(production\)/m);
        expect(output).toMatch(/\[worker\] .*workflows: prebuilt bundle \S*workflow-bundle\.js/);
        expect(output).toContain("mode: production build (`pnpm dev` for hot reload)");
        expect(output).toMatch(/^web: \d+ pages loaded once \([\d.]+ s\), so every first visit is quick$/m);

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
        expect(output).toMatch(
          /^providers: demo mode, local fakes of Kling, Google, BytePlus, Kie, fal and Replicate/m,
        );
        // No payment keys: the local Stripe fake takes payments, so buying credits works offline.
        expect(output).toMatch(
          /^payments: no STRIPE_SECRET_KEY, so the local Stripe fake at http:\/\/127\.0\.0\.1:\d+ takes payments/m,
        );
        const home = await (await fetch(`http://127.0.0.1:${webPort}/`)).text();
        expect(home).toContain("Turn a still photo into a short cinematic video");
        expect(home).toContain(`data-testid="status-line"`); // the health line (system.health) on the home page
        // Production build, yet a newcomer's emails are readable from this machine (LOCAL_INSTANCE).
        const outbox = await fetch(`http://127.0.0.1:${webPort}/dev/outbox`);
        expect(outbox.status).toBe(200);
        expect(await outbox.text()).toContain("Email outbox");

        // The demo user exists with a real hash, in the database the command created.
        const db = new pg.Client({
          connectionString: Object.assign(serverUrl, { pathname: `/${databaseName}` }).toString(),
        });
        await db.connect();
        const users = await db.query<{ email: string; password_hash: string }>(
          "select email, password_hash from users",
        );
        await db.end();
        expect(users.rows.map((row) => row.email)).toEqual(["quickstart@example.test"]);
        expect(users.rows[0]?.password_hash).toMatch(/^\$argon2id\$/);
        // Every process it started, before Ctrl-C: Temporal, the worker, the web app and theirs.
        started = descendantsOf(child.pid!);
        expect(started.length).toBeGreaterThan(4);
      } finally {
        // Ctrl-C in a terminal: SIGINT to every process of the foreground group at once.
        process.kill(-child.pid!, "SIGINT");
      }
      // npm itself dies of the SIGINT (as in a terminal); the dev command behind it stops everything.
      await exited;
      await waitFor(
        "the dev command to say it stopped",
        () => Promise.resolve(output.includes("stopped.") ? true : undefined),
        {
          timeoutMs: 60_000,
        },
      ).catch(() => {
        throw new Error(`no "stopped." line\n--- output ---\n${output}`);
      });
      expect(output).not.toMatch(/while stopping/);
      // Every port it opened is closed again (web, Temporal gRPC and UI) and no process is left.
      for (const port of [webPort, temporalPort, uiPort]) expect(await isPortOpen("127.0.0.1", port)).toBe(false);
      await waitFor(
        "every started process to be gone",
        () => Promise.resolve(started.every((pid) => !isRunning(pid)) ? true : undefined),
        {
          timeoutMs: 15_000,
        },
      ).catch(() => {
        throw new Error(`still running: ${started.filter(isRunning).join(", ")}\n--- output ---\n${output}`);
      });

      // A Temporal already running on the same data (as one left behind would be) is refused,
      // not doubled by a second server over the same SQLite file.
      const leftover = await startTemporalDevServer({
        cliPath,
        dbFile: path.join(dataDir, "temporal", "dev.sqlite"),
        quiet: true,
      });
      try {
        const second = spawn("npm", ["start"], {
          cwd: repoRoot,
          env,
          stdio: ["ignore", "pipe", "pipe"],
          detached: true,
        });
        groups.add(second.pid!);
        let secondOutput = "";
        second.stdout.on("data", (chunk: Buffer) => (secondOutput += chunk.toString()));
        second.stderr.on("data", (chunk: Buffer) => (secondOutput += chunk.toString()));
        const code = await new Promise<number | null>((resolve) => second.once("exit", (c) => resolve(c)));
        expect(code, secondOutput).not.toBe(0);
        expect(secondOutput).toContain(
          `a dev server (pid ${leftover.process.child.pid}) is already running on ${leftover.address}`,
        );
        expect(secondOutput).toContain("stopped.");
        expect(await isPortOpen("127.0.0.1", temporalPort)).toBe(false);
      } finally {
        await leftover.stop();
      }
    },
  );
});
