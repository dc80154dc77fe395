// The retention sweep on real Postgres and the Temporal dev server: each class removes what is
// past its retention and nothing else, in bounded batches, idempotently; the hourly schedule
// exists after worker start, a second start leaves it untouched, and a tick runs the sweep.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureCredits, reserveCredits } from "@animateimg/billing";
import { ledgerViolations, openReservations } from "@animateimg/billing/testing";
import { createLocalEncryptedStore } from "@animateimg/storage";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { waitFor } from "@animateimg/local-services";
import type { Db } from "@animateimg/db";
import { applicationSchedules, ensureSchedules, retentionSweepSchedule } from "../schedules";
import { workflowTypes, type RetentionSweepInput, type RetentionSweepResult } from "../shared";
import { createFundedUser, createPhotoAsset } from "../testing/generation-fixtures";
import { startTestWorker, type TestWorker } from "../testing";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms);
const ahead = (ms: number) => new Date(Date.now() + ms);

async function runSweep(worker: TestWorker, input: RetentionSweepInput = {}): Promise<RetentionSweepResult> {
  return worker.client.workflow.execute<(input: RetentionSweepInput) => Promise<RetentionSweepResult>>(
    workflowTypes.retentionSweep,
    {
      taskQueue: worker.taskQueue,
      workflowId: `test-retention-sweep-${randomUUID()}`,
      args: [input],
    },
  );
}

async function addSession(db: Db, userId: string, ends: { expiresAt: Date; absoluteExpiresAt: Date }): Promise<string> {
  const id = randomBytes(16).toString("hex");
  await db
    .insertInto("sessions")
    .values({
      id,
      secret_hash: randomBytes(32),
      user_id: userId,
      expires_at: ends.expiresAt,
      absolute_expires_at: ends.absoluteExpiresAt,
      ip: "203.0.113.7",
      user_agent: "test",
    })
    .execute();
  return id;
}

async function addEmailToken(db: Db, userId: string, options: { expiresAt: Date; used?: boolean }): Promise<string> {
  const id = randomBytes(32).toString("hex");
  await db
    .insertInto("email_tokens")
    .values({ id, user_id: userId, kind: "verify_email", email: "person@example.test", expires_at: options.expiresAt })
    .execute();
  if (options.used) await db.updateTable("email_tokens").set({ used_at: new Date() }).where("id", "=", id).execute();
  return id;
}

const allClasses = [
  "expired-sessions",
  "spent-email-tokens",
  "expired-rate-limits",
  "email-outbox",
  "provider-webhook-events",
  "payment-events",
  "deleted-generations",
  "expired-data-exports",
  "unreferenced-blobs",
];

// A local store whose files the test can age (the sweep reads a file's time as when it was stored).
const blobRoot = mkdtempSync(path.join(tmpdir(), "animateimg-retention-blobs-"));
const blobStore = createLocalEncryptedStore({
  root: blobRoot,
  keys: new Map([["test", randomBytes(32)]]),
  activeKeyId: "test",
});
async function age(key: string, ms: number): Promise<void> {
  await utimes(path.join(blobRoot, key.slice(0, 2), key), ago(ms), ago(ms));
}
async function storeBlob(): Promise<string> {
  return (await blobStore.put(randomBytes(64), { contentType: "video/mp4" })).key;
}

/** A finished generation with its files, attempt and settled credits, as a real run leaves it. */
async function addGeneration(
  db: Db,
  userId: string,
  options: { deletedAgo?: number; status?: "succeeded" | "running" } = {},
) {
  const imageAssetId = await createPhotoAsset(db, blobStore, userId);
  const video = await storeBlob();
  const poster = await storeBlob();
  const status = options.status ?? "succeeded";
  const { id } = await db
    .insertInto("generations")
    .values({
      user_id: userId,
      model_id: "animate",
      prompt: "a private prompt",
      params: JSON.stringify({ durationSeconds: 2 }),
      image_asset_id: imageAssetId,
      price_credits: 2,
      idempotency_key: randomUUID(),
      status,
      output_video_key: video,
      output_poster_key: poster,
      deleted_at: options.deletedAgo === undefined ? null : ago(options.deletedAgo),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("generation_attempts")
    .values({
      generation_id: id,
      attempt_no: 1,
      provider: "animate",
      outcome: status === "running" ? "running" : "succeeded",
    })
    .execute();
  await reserveCredits(db, { userId, generationId: id, amount: 2 });
  if (status === "succeeded") await captureCredits(db, { generationId: id });
  return { id, video, poster, imageAssetId };
}

const ids = async (db: Db, table: "sessions" | "email_tokens" | "email_outbox") =>
  (await db.selectFrom(table).select("id").execute()).map((r) => r.id).sort();

describe("retention sweep", () => {
  let database: TestDatabase;
  let worker: TestWorker;

  beforeAll(async () => {
    database = await createTestDatabase();
    // No schedules here: this database is swept only when a test says so.
    worker = await startTestWorker({ db: database.db, deps: { blobStore } });
  });
  afterAll(async () => {
    await worker?.shutdown();
    await database?.drop();
  });

  it("privacy: sessions, email links, rate-limit keys and outbox mail are removed once past their use, and nothing else is", async () => {
    const { db } = database;
    const userId = await createFundedUser(db, 0);
    const live = await addSession(db, userId, { expiresAt: ahead(DAY), absoluteExpiresAt: ahead(30 * DAY) });
    await addSession(db, userId, { expiresAt: ago(HOUR), absoluteExpiresAt: ahead(30 * DAY) });
    await addSession(db, userId, { expiresAt: ahead(DAY), absoluteExpiresAt: ago(1000) });
    const recentToken = await addEmailToken(db, userId, { expiresAt: ahead(HOUR) });
    await addEmailToken(db, userId, { expiresAt: ago(1000) });
    await addEmailToken(db, userId, { expiresAt: ahead(HOUR), used: true });
    await db
      .insertInto("rate_limits")
      .values([
        { key: "sign-in:ip:203.0.113.7", count: 3, window_ends_at: ahead(60_000) },
        { key: "sign-in:email:person@example.test", count: 1, window_ends_at: ago(1000) },
      ])
      .execute();
    const outbox = (created: Date) => ({
      kind: "verify_email",
      to_address: "person@example.test",
      subject: "Verify",
      text_body: "link",
      html_body: "<p>link</p>",
      created_at: created,
    });
    const [recentMail] = await db
      .insertInto("email_outbox")
      .values([outbox(ago(6 * DAY)), outbox(ago(8 * DAY))])
      .returning("id")
      .execute();
    await db
      .insertInto("provider_webhook_events")
      .values([
        { provider: "kie", delivery_key: "id:recent", provider_job_id: "job-1", received_at: ago(6 * DAY) },
        { provider: "kie", delivery_key: "id:old", provider_job_id: "job-2", received_at: ago(8 * DAY) },
        { provider: "replicate", delivery_key: "sha256:old", provider_job_id: "job-3", received_at: ago(30 * DAY) },
      ])
      .execute();

    const first = await runSweep(worker);
    expect(first).toEqual({
      removed: {
        "expired-sessions": 2,
        "spent-email-tokens": 2,
        "expired-rate-limits": 1,
        "email-outbox": 1,
        "provider-webhook-events": 2,
        "payment-events": 0,
        "deleted-generations": 0,
        "expired-data-exports": 0,
        "unreferenced-blobs": 0,
      },
      incomplete: [],
      failed: {},
    });
    expect(await ids(db, "sessions")).toEqual([live]);
    expect(await ids(db, "email_tokens")).toEqual([recentToken]);
    expect((await db.selectFrom("rate_limits").select("key").execute()).map((r) => r.key)).toEqual([
      "sign-in:ip:203.0.113.7",
    ]);
    expect(await ids(db, "email_outbox")).toEqual([recentMail!.id]);
    expect(
      (await db.selectFrom("provider_webhook_events").select("delivery_key").execute()).map((r) => r.delivery_key),
    ).toEqual(["id:recent"]);
    // The account itself is untouched.
    expect(await db.selectFrom("users").select("id").where("id", "=", userId).executeTakeFirst()).toBeDefined();

    const second = await runSweep(worker);
    expect(Object.values(second.removed).every((n) => n === 0)).toBe(true);
  });

  it("removes stored files no row refers to once past the safety age, and keeps every referenced or recent one", async () => {
    const { db } = database;
    const userId = await createFundedUser(db, 20);
    const generation = await addGeneration(db, userId);
    const asset = await db
      .selectFrom("assets")
      .select(["original_key"])
      .where("id", "=", generation.imageAssetId)
      .executeTakeFirstOrThrow();
    const orphans = [await storeBlob(), await storeBlob()];
    const recentOrphan = await storeBlob();
    for (const key of [...orphans, generation.video, generation.poster, asset.original_key]) await age(key, 2 * DAY);
    await age(recentOrphan, HOUR);

    // A run bounded to one file keeps its place (the first key in order) for the next run.
    const firstKey = (await blobStore.list({ limit: 1 })).blobs[0]!.key;
    const bounded = await runSweep(worker, { classes: ["unreferenced-blobs"], batchSize: 1, maxBatches: 1 });
    expect(bounded.incomplete).toEqual(["unreferenced-blobs"]);
    expect(await db.selectFrom("retention_cursors").select(["class_id", "cursor"]).execute()).toEqual([
      { class_id: "unreferenced-blobs", cursor: firstKey },
    ]);
    const rest = await runSweep(worker, { classes: ["unreferenced-blobs"], batchSize: 2 });
    expect(rest.incomplete).toEqual([]);
    expect(bounded.removed["unreferenced-blobs"]! + rest.removed["unreferenced-blobs"]!).toBe(2);
    expect(await db.selectFrom("retention_cursors").select("class_id").execute()).toEqual([]);
    for (const key of orphans) expect(await blobStore.exists(key)).toBe(false);
    for (const key of [recentOrphan, generation.video, generation.poster, asset.original_key])
      expect(await blobStore.exists(key), key).toBe(true);
  });

  it("removes applied payment events past their period, but never one still to apply or awaiting an administrator", async () => {
    const { db } = database;
    const event = (eventId: string, appliedAgo: number | null, outcome: string | null) => ({
      processor: "stripe" as const,
      event_id: eventId,
      type: "checkout.session.completed",
      object_id: `cs_${eventId}`,
      applied_at: appliedAgo === null ? null : ago(appliedAgo),
      outcome,
    });
    await db
      .insertInto("payment_events")
      .values([
        event("evt_old", 31 * DAY, "granted"),
        event("evt_recent", 29 * DAY, "granted"),
        event("evt_unapplied", null, null),
        event("evt_needs_admin", 60 * DAY, "unknown_customer"),
      ])
      .execute();
    const result = await runSweep(worker, { classes: ["payment-events"] });
    expect(result.removed).toEqual({ "payment-events": 1 });
    expect(
      (await db.selectFrom("payment_events").select("event_id").orderBy("event_id").execute()).map((r) => r.event_id),
    ).toEqual(["evt_needs_admin", "evt_recent", "evt_unapplied"]);
  });

  it("privacy: a deleted generation is removed completely once past the undo window (row, prompt, parameters, attempt log, files), and nothing else is", async () => {
    const { db } = database;
    const userId = await createFundedUser(db, 50);
    const balanceBefore = await db
      .selectFrom("credit_balances")
      .select("available")
      .where("user_id", "=", userId)
      .executeTakeFirstOrThrow();
    const MINUTE = 60_000;
    const live = await addGeneration(db, userId);
    const withinWindow = await addGeneration(db, userId, { deletedAgo: 5 * MINUTE });
    // Past the window with its files still stored (its file removal never ran), and a webhook
    // event that carries its prompt (it was shared before it was deleted).
    const past = await addGeneration(db, userId, { deletedAgo: 20 * MINUTE });
    // Past the window, files already removed by the undo-window workflow (the usual case), and
    // made from an upload the person deleted that the generation within the window still names.
    const pastNoFiles = await addGeneration(db, userId, { deletedAgo: 20 * MINUTE });
    await db
      .updateTable("generations")
      .set({ output_video_key: null, output_poster_key: null, image_asset_id: withinWindow.imageAssetId })
      .where("id", "=", pastNoFiles.id)
      .execute();
    // Deleted while still running: its workflow has not settled its credits yet, so it waits.
    const stillRunning = await addGeneration(db, userId, { deletedAgo: 20 * MINUTE, status: "running" });
    // Uploads the person deleted: `past`'s (named by nothing else) goes, files included;
    // `withinWindow`'s stays (that generation can still be restored). `live`'s was not deleted.
    await db
      .updateTable("assets")
      .set({ deleted_at: ago(30 * MINUTE) })
      .where("id", "in", [past.imageAssetId, withinWindow.imageAssetId])
      .execute();
    const pastAsset = await db
      .selectFrom("assets")
      .select("original_key")
      .where("id", "=", past.imageAssetId)
      .executeTakeFirstOrThrow();
    const endpoint = await db
      .insertInto("webhook_endpoints")
      .values({
        user_id: userId,
        url: "https://example.test/hook",
        secret: "whsec_test",
        events: ["generation.succeeded"],
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const event = (generationId: string) => ({
      id: `msg_${generationId}`,
      user_id: userId,
      type: "generation.succeeded" as const,
      generation_id: generationId,
      payload: JSON.stringify({ prompt: "a private prompt" }),
    });
    await db
      .insertInto("webhook_events")
      .values([event(past.id), event(live.id)])
      .execute();
    await db
      .insertInto("webhook_deliveries")
      .values({ user_id: userId, event_id: `msg_${past.id}`, endpoint_id: endpoint.id })
      .execute();

    const result = await runSweep(worker, { classes: ["deleted-generations"] });
    expect(result).toEqual({ removed: { "deleted-generations": 2 }, incomplete: [], failed: {} });

    const remaining = (await db.selectFrom("generations").select("id").where("user_id", "=", userId).execute())
      .map((r) => r.id)
      .sort();
    expect(remaining).toEqual([live.id, withinWindow.id, stillRunning.id].sort());
    for (const gone of [past.id, pastNoFiles.id]) {
      expect(
        await db.selectFrom("generation_attempts").select("id").where("generation_id", "=", gone).execute(),
      ).toEqual([]);
      expect(await db.selectFrom("webhook_events").select("id").where("id", "=", `msg_${gone}`).execute()).toEqual([]);
    }
    expect(
      await db.selectFrom("webhook_deliveries").select("id").where("endpoint_id", "=", endpoint.id).execute(),
    ).toEqual([]);
    expect(
      await db.selectFrom("webhook_events").select("id").where("id", "=", `msg_${live.id}`).execute(),
    ).toHaveLength(1);
    for (const kept of [live.id, withinWindow.id, stillRunning.id]) {
      expect(
        await db.selectFrom("generation_attempts").select("id").where("generation_id", "=", kept).execute(),
      ).toHaveLength(1);
    }
    // Files: the removed generation's outputs and its deleted, otherwise unused upload are gone;
    // everything the kept generations name is still stored.
    for (const key of [past.video, past.poster, pastAsset.original_key])
      expect(await blobStore.exists(key), key).toBe(false);
    for (const key of [
      live.video,
      live.poster,
      withinWindow.video,
      withinWindow.poster,
      stillRunning.video,
      stillRunning.poster,
    ])
      expect(await blobStore.exists(key), key).toBe(true);
    const assets = (await db.selectFrom("assets").select("id").where("user_id", "=", userId).execute())
      .map((r) => r.id)
      .sort();
    expect(assets).toEqual(
      [live.imageAssetId, withinWindow.imageAssetId, pastNoFiles.imageAssetId, stillRunning.imageAssetId].sort(),
    );

    // The accounting stays: every ledger row is still there, unchanged but for the generation
    // reference, the balance did not move, and the ledger still adds up.
    const ledger = await db
      .selectFrom("credit_ledger")
      .select(["kind", "amount", "generation_id"])
      .where("user_id", "=", userId)
      .orderBy("id")
      .execute();
    expect(ledger.map((r) => r.kind)).toEqual([
      "grant",
      ...["reserve", "capture"],
      ...["reserve", "capture"],
      ...["reserve", "capture"],
      ...["reserve", "capture"],
      "reserve",
    ]);
    expect(ledger.filter((r) => r.generation_id === null).map((r) => r.kind)).toEqual([
      "grant",
      "reserve",
      "capture",
      "reserve",
      "capture",
    ]);
    const balanceAfter = await db
      .selectFrom("credit_balances")
      .select("available")
      .where("user_id", "=", userId)
      .executeTakeFirstOrThrow();
    expect(Number(balanceAfter.available)).toBe(Number(balanceBefore.available) - 5 * 2);
    expect(await ledgerViolations(db)).toEqual([]);
    expect(await openReservations(db)).toEqual([stillRunning.id]);

    // Idempotent: a second run finds nothing more.
    expect((await runSweep(worker, { classes: ["deleted-generations"] })).removed).toEqual({
      "deleted-generations": 0,
    });
  });

  it("privacy: an export archive is removed once past its expiry, and an unexpired one stays", async () => {
    const { db } = database;
    const userId = await createFundedUser(db, 0);
    const archive = async (expiresAt: Date) => {
      const key = await storeBlob();
      const { id } = await db
        .insertInto("data_exports")
        .values({
          user_id: userId,
          status: "ready",
          progress: 100,
          blob_key: key,
          storage_driver: blobStore.driver,
          size_bytes: 64,
          finished_at: ago(8 * DAY),
          expires_at: expiresAt,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return { id, key };
    };
    const expired = [await archive(ago(HOUR)), await archive(ago(DAY))];
    const current = await archive(ahead(6 * DAY));
    // A failed export has no archive: nothing to remove.
    await db
      .insertInto("data_exports")
      .values({ user_id: userId, status: "failed", error_code: "test", finished_at: ago(30 * DAY) })
      .execute();

    const result = await runSweep(worker, { classes: ["expired-data-exports"] });
    expect(result).toEqual({ removed: { "expired-data-exports": 2 }, incomplete: [], failed: {} });
    for (const { key } of expired) expect(await blobStore.exists(key)).toBe(false);
    expect(await blobStore.exists(current.key)).toBe(true);
    const rows = await db
      .selectFrom("data_exports")
      .select(["id", "status", "blob_deleted_at"])
      .where("user_id", "=", userId)
      .execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const { id } of expired) {
      expect(byId.get(id)?.status).toBe("expired");
      expect(byId.get(id)?.blob_deleted_at).toBeInstanceOf(Date);
    }
    expect(byId.get(current.id)).toMatchObject({ status: "ready", blob_deleted_at: null });
    expect(rows.filter((row) => row.status === "failed")).toHaveLength(1);

    expect((await runSweep(worker, { classes: ["expired-data-exports"] })).removed).toEqual({
      "expired-data-exports": 0,
    });
  });

  it("removes in bounded batches, and reports a class it could not finish within the run's bound", async () => {
    const { db } = database;
    const keys = Array.from({ length: 7 }, (_, i) => ({ key: `test:batch:${i}`, count: 1, window_ends_at: ago(1000) }));
    await db.insertInto("rate_limits").values(keys).execute();

    const bounded = await runSweep(worker, { classes: ["expired-rate-limits"], batchSize: 2, maxBatches: 2 });
    expect(bounded).toEqual({ removed: { "expired-rate-limits": 4 }, incomplete: ["expired-rate-limits"], failed: {} });

    const rest = await runSweep(worker, { classes: ["expired-rate-limits"], batchSize: 2 });
    expect(rest).toEqual({ removed: { "expired-rate-limits": 3 }, incomplete: [], failed: {} });
    expect(await db.selectFrom("rate_limits").select("key").where("key", "like", "test:batch:%").execute()).toEqual([]);
  });

  it("reports a class that fails without stopping the others", async () => {
    const result = await runSweep(worker, { classes: ["no-such-class", "expired-rate-limits"] });
    expect(result.failed).toEqual({ "no-such-class": "unknown retention class no-such-class" });
    expect(result.removed).toEqual({ "expired-rate-limits": 0 });
  });
});

describe("retention sweep schedule", () => {
  let database: TestDatabase;
  let worker: TestWorker;

  beforeAll(async () => {
    database = await createTestDatabase();
    // As the worker process starts: the production definitions (hourly).
    worker = await startTestWorker({ db: database.db, registerSchedules: true });
  });
  afterAll(async () => {
    for (const definition of applicationSchedules({ taskQueue: worker.taskQueue })) {
      await worker?.client.schedule
        .getHandle(definition.scheduleId)
        .delete()
        .catch(() => {});
    }
    await worker?.shutdown();
    await database?.drop();
  });

  it("exists after worker start: hourly, overlap SKIP, one-hour catch-up; a second start changes nothing", async () => {
    const definition = retentionSweepSchedule({ taskQueue: worker.taskQueue });
    const handle = worker.client.schedule.getHandle(definition.scheduleId);
    const before = await handle.describe();
    expect(before.action).toMatchObject({
      type: "startWorkflow",
      workflowType: workflowTypes.retentionSweep,
      taskQueue: worker.taskQueue,
    });
    expect(before.spec.intervals?.[0]?.every).toBe(HOUR);
    expect(before.policies.overlap).toBe("SKIP");
    expect(before.policies.catchupWindow).toBe(HOUR);
    expect(before.state.paused).toBe(false);

    // A second worker process starts on the same queue and registers the same definitions.
    const second = await startTestWorker({ db: database.db, taskQueue: worker.taskQueue, registerSchedules: true });
    await second.shutdown();
    const after = await handle.describe();
    expect(after.info.lastUpdatedAt).toEqual(before.info.lastUpdatedAt);
    expect(after.raw.conflictToken).toEqual(before.raw.conflictToken);
    expect(
      Object.values(
        await ensureSchedules(worker.client, worker.taskQueue, applicationSchedules({ taskQueue: worker.taskQueue })),
      ),
    ).toEqual(["unchanged", "unchanged"]);
    // A changed definition (a deploy) is rolled out.
    const changed = await ensureSchedules(
      worker.client,
      worker.taskQueue,
      applicationSchedules({ taskQueue: worker.taskQueue, retentionEvery: "2 hours" }),
    );
    expect(changed[definition.scheduleId]).toBe("updated");
    expect((await handle.describe()).spec.intervals?.[0]?.every).toBe(2 * HOUR);
    await ensureSchedules(worker.client, worker.taskQueue, applicationSchedules({ taskQueue: worker.taskQueue }));
  });

  it("runs the sweep when it fires, and the run reports removed counts by class", async () => {
    await database.db
      .insertInto("rate_limits")
      .values({ key: "test:scheduled", count: 1, window_ends_at: ago(1000) })
      .execute();
    const handle = worker.client.schedule.getHandle(retentionSweepSchedule({ taskQueue: worker.taskQueue }).scheduleId);
    await handle.trigger();
    const workflowId = await waitFor(
      "the schedule to start a sweep",
      async () => (await handle.describe()).info.recentActions.at(-1)?.action.workflow.workflowId,
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    const result = (await worker.client.workflow.getHandle(workflowId).result()) as RetentionSweepResult;
    expect(result.removed["expired-rate-limits"]).toBe(1);
    expect(Object.keys(result.removed)).toEqual(allClasses);
  });
});
