// A worker dies (SIGKILL, no goodbye) in the middle of a render. The heartbeat timeout
// notices, Temporal retries the activity on the worker still alive, and the user is charged
// exactly once.
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { getBalance, listLedger } from "@animateimg/billing";
import { ledgerViolations } from "@animateimg/billing/testing";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createDbAssetLookup, createGeneration, getGeneration } from "@animateimg/generations";
import { waitFor } from "@animateimg/local-services";
import { createLocalEncryptedStore } from "@animateimg/storage";
import { createOrchestrator } from "../orchestrator";
import { connectTestClient, startTestWorker, type TestWorker } from "../testing";
import { createFundedUser, createPhotoAsset } from "../testing/generation-fixtures";

let database: TestDatabase;
const blobRoot = mkdtempSync(path.join(tmpdir(), "animateimg-crash-blobs-"));
const blobKey = randomBytes(32);
const blobStore = createLocalEncryptedStore({
  root: blobRoot,
  keys: new Map([["test", blobKey]]),
  activeKeyId: "test",
});
const taskQueue = `crash-${randomBytes(4).toString("hex")}`;
let survivor: TestWorker | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await survivor?.shutdown();
  await database?.drop();
});

describe("worker killed mid-render", () => {
  it("is finished by another worker and charged once", async () => {
    const child = spawn(
      path.join(import.meta.dirname, "../../../../node_modules/.bin/tsx"),
      [path.join(import.meta.dirname, "../testing/worker-process.ts")],
      {
        env: {
          ...process.env,
          DATABASE_URL: database.url,
          TEMPORAL_ADDRESS: inject("temporalAddress"),
          TASK_QUEUE: taskQueue,
          WORKFLOW_BUNDLE_PATH: inject("workflowBundlePath"),
          BLOB_ROOT: blobRoot,
          BLOB_KEY: blobKey.toString("base64"),
        },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      },
    );
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<string | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    await waitFor(
      "the child worker to poll",
      () => Promise.resolve(output.includes("worker-ready") ? true : undefined),
      { timeoutMs: 60_000 },
    );

    const connection = await connectTestClient();
    const { client } = connection;
    try {
      const userId = await createFundedUser(database.db, 100);
      const imageAssetId = await createPhotoAsset(database.db, blobStore, userId);
      const orchestrator = createOrchestrator({
        client,
        taskQueue,
        // Notice a dead worker quickly; production waits 30 s.
        timeouts: { renderHeartbeatTimeout: "5 seconds" },
      }).generations;
      const { generation } = await createGeneration(
        database.db,
        {
          userId,
          modelId: "animate",
          prompt: "",
          params: { durationSeconds: 8, resolution: "1080p", fps: 30, cameraMove: "dolly" },
          imageAssetId,
          private: true,
          idempotencyKey: randomUUID(),
        },
        { orchestrator, findOwnedAssets: createDbAssetLookup(database.db) },
      );
      expect(generation.priceCredits).toBe(24);

      await waitFor("the child worker's render to report progress", async () => {
        const g = await getGeneration(database.db, { userId, generationId: generation.id });
        return g.progress > 0 ? true : undefined;
      });
      process.kill(-child.pid!, "SIGKILL");
      expect(await exited).toBe("SIGKILL");

      survivor = await startTestWorker({ db: database.db, taskQueue, deps: { blobStore } });
      const done = await waitFor(
        "the surviving worker to finish the generation",
        async () => {
          const g = await getGeneration(database.db, { userId, generationId: generation.id });
          return g.status === "succeeded" || g.status === "failed" ? g : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 200 },
      );
      expect(done.status).toBe("succeeded");
      expect(done.attempts).toEqual([expect.objectContaining({ attemptNo: 1, outcome: "succeeded" })]);
      expect(await getBalance(database.db, userId)).toBe(76);
      expect((await listLedger(database.db, { userId })).map((e) => e.kind)).toEqual(["capture", "reserve", "grant"]);
      expect(await ledgerViolations(database.db)).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
      await connection.close();
    }
  });
});
