// The production worker process (src/main.ts, NODE_ENV=production) as deployments run it:
// - WORKER_ROLES=render polls the render queue and nothing else (asked of the Temporal server);
// - a main-role process runs the prebuilt bundle named by WORKFLOW_BUNDLE_PATH, not the source:
//   the bundle given is the "next release" variant, whose extra workflow type only it can run.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { waitFor } from "@animateimg/local-services";
import { localRenderTaskQueue, providerTaskQueue } from "@animateimg/workflows/shared";
import { connectTestClient, taskQueuePollers, testPayloadKeys } from "@animateimg/workflows/testing";
import { bundleWorkflows, workflowVariantPaths } from "@animateimg/workflows/worker";

const repoRoot = path.resolve(import.meta.dirname, "../../..");
const scratch = mkdtempSync(path.join(tmpdir(), "animateimg-worker-process-"));
let database: TestDatabase;
let nextReleaseBundlePath: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  nextReleaseBundlePath = path.join(scratch, "next-release-bundle.js");
  writeFileSync(nextReleaseBundlePath, (await bundleWorkflows(workflowVariantPaths.nextRelease)).code);
});
afterAll(async () => {
  await Promise.all(children.map(stopChild));
  await database?.drop();
  rmSync(scratch, { recursive: true, force: true });
});

const payloadKeysEnv = [...testPayloadKeys.keys]
  .map(([id, key]) => `${id}:${Buffer.from(key).toString("base64")}`)
  .join(",");

/** Starts `tsx src/main.ts` as `pnpm start:worker` does, and waits for its start-up line. */
async function startWorkerProcess(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(path.join(repoRoot, "node_modules/.bin/tsx"), ["src/main.ts"], {
    cwd: path.join(repoRoot, "apps/worker"),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: inject("temporalAddress"),
      TEMPORAL_PAYLOAD_KEYS: payloadKeysEnv,
      STORAGE_LOCAL_ROOT: path.join(scratch, "blobs"),
      STORAGE_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")}`,
      BLOB_URL_SECRET: randomBytes(24).toString("hex"),
      WORKER_SCRATCH_DIR: path.join(scratch, "worker-scratch"),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  children.push(child);
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(
    "the worker's start-up line",
    () => Promise.resolve(output.includes("worker: roles") || child.exitCode !== null ? true : undefined),
    { timeoutMs: 90_000, intervalMs: 200 },
  );
  if (child.exitCode !== null) throw new Error(`worker exited (${child.exitCode}):\n${output}`);
  return { child, output: () => output };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.kill(-child.pid!, "SIGTERM");
  const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 20_000);
  await exited;
  clearTimeout(timer);
}

describe("production worker process", () => {
  it("with WORKER_ROLES=render polls only the render queue", { timeout: 120_000 }, async () => {
    const taskQueue = `roles-${randomBytes(4).toString("hex")}`;
    // Kie is enabled (its key is set), so a process with every role would poll its queue too.
    const { child, output } = await startWorkerProcess({
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKER_ROLES: "render",
      KIE_API_KEY: "test-key",
      KIE_BASE_URL: "http://127.0.0.1:9",
    });
    expect(output()).toContain("workflows: none (no main role)");
    const connection = await connectTestClient();
    const { client } = connection;
    try {
      const render = await waitFor(
        "a poller on the render queue",
        async () => {
          const pollers = await taskQueuePollers(client, localRenderTaskQueue(taskQueue));
          return pollers.activity.length > 0 ? pollers : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
      expect(render.activity).toEqual([expect.stringMatching(/^worker@.+:\d+\/render$/)]);
      expect(render.workflow).toEqual([]);
      // The main queue (workflows and bookkeeping) and the enabled provider's queue: nobody.
      expect(await taskQueuePollers(client, taskQueue)).toEqual({ workflow: [], activity: [] });
      expect(await taskQueuePollers(client, providerTaskQueue(taskQueue, "kie"))).toEqual({
        workflow: [],
        activity: [],
      });
      // And no schedule was registered for the queue (only the main role does that).
      const schedules: string[] = [];
      for await (const schedule of client.schedule.list()) schedules.push(schedule.scheduleId);
      expect(schedules.filter((id) => id.startsWith(`${taskQueue}.`))).toEqual([]);
    } finally {
      await connection.close();
      await stopChild(child);
    }
  });

  it("with the main role runs the prebuilt bundle it is given, not the source", { timeout: 120_000 }, async () => {
    const taskQueue = `bundle-${randomBytes(4).toString("hex")}`;
    const { child, output } = await startWorkerProcess({
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKER_ROLES: "main",
      WORKFLOW_BUNDLE_PATH: nextReleaseBundlePath,
    });
    expect(output()).toContain(`workflows: prebuilt bundle ${nextReleaseBundlePath}`);
    const connection = await connectTestClient();
    const { client } = connection;
    try {
      // Only the next-release bundle has this workflow type: bundled from source, the worker
      // would fail the task ("not registered") and the run would time out.
      const result = await client.workflow.execute<() => Promise<string>>("workflowCodeReleaseWorkflow", {
        taskQueue,
        workflowId: `release-${randomBytes(4).toString("hex")}`,
        workflowExecutionTimeout: "60 seconds",
      });
      expect(result).toBe("next");
      const pollers = await taskQueuePollers(client, taskQueue);
      expect(pollers.workflow.length).toBe(1);
      expect(await taskQueuePollers(client, localRenderTaskQueue(taskQueue))).toEqual({ workflow: [], activity: [] });
    } finally {
      await connection.close();
      await stopChild(child);
    }
  });

  it(
    "in production without a bundle file refuses to start with one line saying how to build it",
    { timeout: 60_000 },
    async () => {
      const missing = path.join(scratch, "no-such-bundle.js");
      await expect(
        startWorkerProcess({ TEMPORAL_TASK_QUEUE: "unused", WORKFLOW_BUNDLE_PATH: missing }),
      ).rejects.toThrow(`no workflow bundle at ${missing} (run \`pnpm build:worker\` first)`);
    },
  );
});
