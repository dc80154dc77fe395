// Settlement decides once: an output stored in a generation's last moments is detached when a
// cancel ends it (never served, its keys handed back for deletion), and an output that arrives
// after the end is refused.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { toGenerationView } from "./generation-view";
import { markFailed, markRunning, markSucceeded, recordOutput, recordProgress } from "./status-mirror";
import { insertUserWithPhoto } from "./test-fixtures";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

async function generationRow(): Promise<string> {
  const { db } = database;
  const { userId, assetId } = await insertUserWithPhoto(db);
  const { id } = await db
    .insertInto("generations")
    .values({
      user_id: userId,
      model_id: "animate",
      prompt: "p",
      params: "{}",
      image_asset_id: assetId,
      price_credits: 2,
      idempotency_key: randomUUID(),
      status: "running",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

const output = (video: string) => ({
  videoKey: video,
  posterKey: `${video}-poster`,
  durationMs: 2000,
  width: 854,
  height: 480,
  bytes: 10,
  sha256: "0".repeat(64),
});
const read = (id: string) =>
  database.db.selectFrom("generations").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

it("a cancel after the output was stored detaches it: nothing served, keys returned for deletion", async () => {
  const id = await generationRow();
  expect(await recordOutput(database.db, id, output("video-1"))).toBe(true);
  // Stored but not yet succeeded: not served.
  expect(toGenerationView(await read(id))).toMatchObject({ hasOutput: false, outputKeys: null });
  const detached = await markFailed(database.db, id, { status: "canceled", reason: "canceled", message: null });
  expect(detached.sort()).toEqual(["video-1", "video-1-poster"]);
  const row = await read(id);
  expect(row).toMatchObject({ status: "canceled", output_video_key: null, output_poster_key: null });
  // A second end (a retried activity) changes nothing and hands back nothing.
  expect(await markFailed(database.db, id, { status: "failed", reason: "x", message: null })).toEqual([]);
  expect((await read(id)).status).toBe("canceled");
});

it("an output that arrives after the generation ended is refused; a succeeded one is served", async () => {
  const late = await generationRow();
  await markFailed(database.db, late, { status: "canceled", reason: "canceled", message: null });
  expect(await recordOutput(database.db, late, output("video-2"))).toBe(false);
  expect((await read(late)).output_video_key).toBeNull();

  const ok = await generationRow();
  expect(await recordOutput(database.db, ok, output("video-3"))).toBe(true);
  await markSucceeded(database.db, ok, "Done");
  expect(toGenerationView(await read(ok))).toMatchObject({
    hasOutput: true,
    outputKeys: { video: "video-3", poster: "video-3-poster" },
  });
});

it("stores a status as a code and parameters with its English beside it; a bare sentence (older runs) as it is", async () => {
  const id = await generationRow();
  await markRunning(database.db, id, {
    code: "provider_fallback",
    params: { from: "kie", reason: "rate_limited", to: "kling" },
  });
  expect(await read(id)).toMatchObject({
    status_code: "provider_fallback",
    status_params: { from: "kie", reason: "rate_limited", to: "kling" },
    status_message: "Kie was busy; trying Kling",
  });
  expect(toGenerationView(await read(id)).statusDetail).toEqual({
    code: "provider_fallback",
    params: { from: "kie", reason: "rate_limited", to: "kling" },
    message: "Kie was busy; trying Kling",
  });
  await recordProgress(database.db, id, { progress: 0.42, status: { code: "rendering", params: { percent: 42 } } });
  expect(await read(id)).toMatchObject({
    status_code: "rendering",
    status_params: { percent: 42 },
    status_message: "Rendering 42%",
  });
  // Progress without a status keeps the last one.
  await recordProgress(database.db, id, { progress: 0.5 });
  expect((await read(id)).status_code).toBe("rendering");

  // An activity scheduled by a run recorded before codes passes the English sentence itself.
  await markSucceeded(database.db, id, "Kling was busy; finished on fal");
  expect(await read(id)).toMatchObject({
    status_code: null,
    status_params: null,
    status_message: "Kling was busy; finished on fal",
  });
  expect(toGenerationView(await read(id))).toMatchObject({
    statusDetail: null,
    statusMessage: "Kling was busy; finished on fal",
  });

  const failed = await generationRow();
  await markFailed(database.db, failed, {
    status: "failed",
    reason: "no_route",
    statusDetail: { code: "no_route", params: { model: "kling-3" } },
  });
  expect(toGenerationView(await read(failed)).statusDetail).toEqual({
    code: "no_route",
    params: { model: "kling-3" },
    message: "No video service can run Kling 3.0 right now. Your credits were refunded.",
  });
});
