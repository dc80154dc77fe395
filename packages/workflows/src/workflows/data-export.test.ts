import { randomBytes } from "node:crypto";
import { createExportLinks, requestDataExport, resolveExportDownload } from "@animateimg/data-export";
import { seedAccountWithHistory, unzipEntries, type SeededAccount } from "@animateimg/data-export/testing";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { listOutbox } from "@animateimg/email";
import { waitFor } from "@animateimg/local-services";
import { createBlobUrlSigner, readBody, type BlobStore } from "@animateimg/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrchestrator } from "../orchestrator";
import { dataExportWorkflowId } from "../workflow-ids";
import { createTestBlobStore, startTestWorker, type TestWorker } from "../testing";

let database: TestDatabase;
let worker: TestWorker;
let store: BlobStore;
let alice: SeededAccount;
let bob: SeededAccount;
const links = createExportLinks({
  signer: createBlobUrlSigner({ secret: randomBytes(32) }),
  appUrl: "https://app.test",
});

// Reading Alice's last video waits for this gate, so the test can see the build halfway
// (progress above 0 and below 100 in the row) before letting it finish: no sleeps, no luck.
let openGate: () => void = () => {};
const gate = new Promise<void>((resolve) => (openGate = resolve));
let gatedKey: string | null = null;

beforeAll(async () => {
  database = await createTestDatabase();
  const real = createTestBlobStore();
  store = {
    ...real,
    get: async (key, range) => {
      if (key === gatedKey) await gate;
      return real.get(key, range);
    },
  };
  alice = await seedAccountWithHistory(database.db, store, "alice");
  bob = await seedAccountWithHistory(database.db, store, "bob");
  const last = alice.generations.filter((g) => g.output).at(-1)!;
  gatedKey = (
    await database.db
      .selectFrom("generations")
      .select("output_video_key")
      .where("id", "=", last.id)
      .executeTakeFirstOrThrow()
  ).output_video_key;
  worker = await startTestWorker({
    db: database.db,
    deps: { blobStore: store, dataExports: { links, appUrl: "https://app.test" } },
  });
});

afterAll(async () => {
  openGate();
  await worker?.shutdown();
  await database?.drop();
});

const readExport = (id: string) =>
  database.db.selectFrom("data_exports").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

describe("data export workflow", () => {
  it("builds the archive with live progress from 0 to 100, then emails a signed link that downloads it", async () => {
    const requested = await requestDataExport(database.db, { userId: alice.userId });
    expect(requested).toMatchObject({ status: "queued", progress: 0 });
    await createOrchestrator({ client: worker.client, taskQueue: worker.taskQueue }).startDataExport({
      exportId: requested.id,
    });
    // A second start of the same export is a no-op (the id is derived from the export).
    await createOrchestrator({ client: worker.client, taskQueue: worker.taskQueue }).startDataExport({
      exportId: requested.id,
    });

    const halfway = await waitFor("progress while the build waits at the gate", async () => {
      const row = await readExport(requested.id);
      return row.status === "running" && row.progress > 0 ? row : undefined;
    });
    expect(halfway.progress).toBeLessThan(100);
    // The build heartbeats to Temporal while it runs (a dead worker is noticed within a minute).
    await waitFor("a heartbeat of the build activity", async () => {
      const described = await worker.client.workflow.getHandle(dataExportWorkflowId(requested.id)).describe();
      const pending = described.raw.pendingActivities?.find(
        (activity) => activity.activityType?.name === "buildDataExport",
      );
      return pending?.lastHeartbeatTime ? pending : undefined;
    });
    openGate();

    const result: unknown = await worker.client.workflow.getHandle(dataExportWorkflowId(requested.id)).result();
    expect(result).toEqual({ status: "ready" });
    const ready = await readExport(requested.id);
    expect(ready).toMatchObject({ status: "ready", progress: 100, error_code: null, storage_driver: "local" });
    expect(ready.progress).toBeGreaterThanOrEqual(halfway.progress);
    const days = (ready.expires_at!.getTime() - ready.finished_at!.getTime()) / 86_400_000;
    expect(days).toBe(7);

    // The email carries a signed link that works without a session and names this export.
    const [mail] = await listOutbox(database.db, { to: alice.email });
    expect(mail).toMatchObject({ kind: "data_export_ready", subject: "Your AnimateImg data export is ready" });
    const url = /https:\/\/app\.test\/api\/data-exports\/link\/([A-Za-z0-9_.-]+)/.exec(mail!.text);
    expect(url).not.toBeNull();
    const download = await resolveExportDownload(database.db, { token: url![1]!, links });
    expect(download).toMatchObject({ kind: "ready", blobKey: ready.blob_key });
    // Bob, signed in, cannot reach Alice's export by its id.
    expect(await resolveExportDownload(database.db, { userId: bob.userId, exportId: requested.id })).toEqual({
      kind: "not_found",
    });
    expect(await listOutbox(database.db, { to: bob.email })).toEqual([]);

    // The archive in storage is Alice's, whole.
    const files = await unzipEntries(await readBody((await store.get(ready.blob_key!))!.body));
    expect(Number(ready.size_bytes)).toBeGreaterThan(0);
    for (const generation of alice.generations) {
      if (generation.output) expect(files.get(`videos/${generation.id}.mp4`)!.equals(generation.output)).toBe(true);
    }
    expect(files.get("generations.json")!.toString()).not.toContain(bob.generations[0]!.prompt);
  });

  it("lets a person start a new export once the previous one finished, never two at once", async () => {
    const first = await requestDataExport(database.db, { userId: bob.userId });
    await expect(requestDataExport(database.db, { userId: bob.userId })).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "export_in_progress",
    });
    await createOrchestrator({ client: worker.client, taskQueue: worker.taskQueue }).startDataExport({
      exportId: first.id,
    });
    expect(await worker.client.workflow.getHandle(dataExportWorkflowId(first.id)).result()).toEqual({
      status: "ready",
    });
    const second = await requestDataExport(database.db, { userId: bob.userId });
    expect(second.id).not.toBe(first.id);
  });
});
