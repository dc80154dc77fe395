// A deploy of changed workflow code while generations run (README "Safe upgrades"). Today's code
// starts three generations; while one renders and the others wait for the render slot,
// the workflow host is replaced by one running the next-release bundle (a change behind
// patched()). The render worker stays up, as render processes do across a deploy. Every
// generation finishes, charged once, with no failed workflow task, on the new host; a generation
// started afterwards takes the new path. The same change without patched() cannot replay the
// old histories — the check that this test would notice an unsafe change.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DefaultLogger, Runtime, Worker } from "@temporalio/worker";
import { ledgerViolations } from "@animateimg/billing/testing";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createDbAssetLookup, createGeneration, getGeneration } from "@animateimg/generations";
import { waitFor } from "@animateimg/local-services";
import { createOrchestrator } from "../orchestrator";
import { generationWorkflowId } from "../workflow-ids";
import { dataConverterFor } from "../payload-codec";
import { createTestBlobStore, startTestWorker, testPayloadKeys, type TestWorker } from "../testing";
import { createFundedUser, createPhotoAsset } from "../testing/generation-fixtures";
import { bundleWorkflows, workflowVariantPaths } from "../worker";

let database: TestDatabase;
const scratch = mkdtempSync(path.join(tmpdir(), "animateimg-upgrade-"));
const bundles = {
  next: path.join(scratch, "next-release.js"),
  unpatched: path.join(scratch, "next-release-unpatched.js"),
};
const workers: TestWorker[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  writeFileSync(bundles.next, (await bundleWorkflows(workflowVariantPaths.nextRelease)).code);
  writeFileSync(bundles.unpatched, (await bundleWorkflows(workflowVariantPaths.nextReleaseUnpatched)).code);
}, 300_000);
afterAll(async () => {
  for (const worker of workers) await worker.shutdown().catch(() => {});
  await database?.drop();
  rmSync(scratch, { recursive: true, force: true });
});

describe("upgrading the workflow code under running generations", () => {
  it(
    "finishes the generations started on the old code, and new ones take the new path",
    { timeout: 600_000 },
    async () => {
      const db = database.db;
      const blobStore = createTestBlobStore();
      const taskQueue = `upgrade-${randomBytes(4).toString("hex")}`;
      // Renders: one at a time, on a process that is not part of the deploy.
      const render = await startTestWorker({
        db,
        taskQueue,
        identity: "render",
        renderSlots: 1,
        deps: { blobStore },
        roles: { main: false, render: true, providers: false },
      });
      workers.push(render);
      const oldHost = await startTestWorker({
        db,
        taskQueue,
        identity: "host-old",
        deps: { blobStore },
        roles: { main: true, render: false, providers: false },
      });
      workers.push(oldHost);
      const { client } = render;
      const orchestrator = createOrchestrator({ client, taskQueue }).generations;
      const userId = await createFundedUser(db, 200);
      const imageAssetId = await createPhotoAsset(db, blobStore, userId);
      const create = async () =>
        (
          await createGeneration(
            db,
            {
              userId,
              modelId: "animate",
              prompt: "",
              params: { durationSeconds: 10, resolution: "1080p", fps: 30, cameraMove: "dolly" },
              imageAssetId,
              private: true,
              idempotencyKey: randomUUID(),
            },
            { orchestrator, findOwnedAssets: createDbAssetLookup(db) },
          )
        ).generation;

      const before = [await create(), await create(), await create()];
      // One is rendering (the worker has one slot); the others wait for the slot.
      await waitFor(
        "a render under way",
        async () => {
          const running = await db
            .selectFrom("generation_attempts")
            .select("id")
            .where("provider", "=", "local")
            .where("outcome", "=", "running")
            .execute();
          return running.length > 0 ? true : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 50 },
      );
      const openAtDeploy = (
        await Promise.all(
          before.map(async (g) => ({
            id: g.id,
            status: (await getGeneration(db, { userId, generationId: g.id })).status,
          })),
        )
      ).filter((g) => g.status === "queued" || g.status === "running");
      expect(openAtDeploy.length, "generations still open when the deploy starts").toBeGreaterThanOrEqual(2);

      // The deploy: the old host stops, the new one starts with the next release's bundle.
      await oldHost.shutdown();
      workers.splice(workers.indexOf(oldHost), 1);
      const newHost = await startTestWorker({
        db,
        taskQueue,
        identity: "host-new",
        deps: { blobStore },
        roles: { main: true, render: false, providers: false },
        workflowBundle: { codePath: bundles.next },
      });
      workers.push(newHost);
      const after = await create();

      const all = [...before, after];
      const finished = await waitFor(
        "every generation to finish",
        async () => {
          const rows = await Promise.all(all.map((g) => getGeneration(db, { userId, generationId: g.id })));
          return rows.every((g) => g.status !== "queued" && g.status !== "running") ? rows : undefined;
        },
        { timeoutMs: 420_000, intervalMs: 250 },
      );
      expect(finished.map((g) => g.status)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"]);
      expect(await ledgerViolations(db)).toEqual([]);
      const captures = await db
        .selectFrom("credit_ledger")
        .select("generation_id")
        .where("kind", "=", "capture")
        .where("user_id", "=", userId)
        .execute();
      expect(captures.map((c) => c.generation_id).sort()).toEqual(all.map((g) => g.id).sort());

      for (const generation of all) {
        const handle = client.workflow.getHandle(generationWorkflowId(generation.id));
        const history = await handle.fetchHistory();
        const events = history.events ?? [];
        // No workflow task failed: the new code replayed the old history without a determinism error.
        expect(events.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
        const completedBy = events.flatMap((e) =>
          e.workflowTaskCompletedEventAttributes ? [e.workflowTaskCompletedEventAttributes.identity] : [],
        );
        // The new host ran the end of every one still open at the deploy.
        if (generation === after || openAtDeploy.some((g) => g.id === generation.id))
          expect(completedBy.at(-1)).toBe("host-new");
        const memo = (await handle.describe()).memo ?? {};
        if (generation === after) {
          expect(memo).toEqual({ workflowCodeRelease: "next" });
          expect(completedBy).not.toContain("host-old");
        } else {
          // Started before the deploy: the old path, marked nowhere.
          expect(memo).toEqual({});
          expect(completedBy).toContain("host-old");
        }
      }

      // The same change without patched() breaks the histories of generations started before it.
      try {
        Runtime.install({ logger: new DefaultLogger("ERROR") });
      } catch {
        // Installed already in this process.
      }
      const oldHistory = await client.workflow.getHandle(generationWorkflowId(openAtDeploy[0]!.id)).fetchHistory();
      await expect(
        Worker.runReplayHistory(
          { workflowBundle: { codePath: bundles.next }, ...dataConverterFor(testPayloadKeys) },
          oldHistory,
          "patched",
        ),
      ).resolves.toBeUndefined();
      await expect(
        Worker.runReplayHistory(
          { workflowBundle: { codePath: bundles.unpatched }, ...dataConverterFor(testPayloadKeys) },
          oldHistory,
          "unpatched",
        ),
      ).rejects.toThrow(/[Nn]ondetermin/);
    },
  );
});
