// Route planning reads what the uploads' probe found: a Motion Control generation whose reference
// video is longer than Kie takes with the photo's orientation is never planned onto Kie.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createProviderRegistry } from "@animateimg/providers";
import { createTestBlobStore } from "../testing";
import { createFundedUser } from "../testing/generation-fixtures";
import { createProviderActivities } from "./provider-activities";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

async function motionControlGeneration(
  userId: string,
  referenceSeconds: number,
  characterOrientation: "image" | "video",
) {
  const asset = (kind: "image" | "video", durationMs: number | null) =>
    database.db
      .insertInto("assets")
      .values({
        user_id: userId,
        kind,
        mime: kind === "image" ? "image/jpeg" : "video/mp4",
        original_name: kind === "image" ? "me.jpg" : "dance.mp4",
        width: 720,
        height: 1280,
        duration_ms: durationMs,
        bytes: 1000,
        sha256: "0".repeat(64),
        storage_driver: "local",
        original_key: randomBytes(8).toString("hex"),
        thumbnail_key: randomBytes(8).toString("hex"),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
  const image = await asset("image", null);
  const video = await asset("video", referenceSeconds * 1000);
  const { id } = await database.db
    .insertInto("generations")
    .values({
      user_id: userId,
      model_id: "motion-control",
      prompt: "",
      params: JSON.stringify({ mode: "std", characterOrientation, keepOriginalSound: true }),
      image_asset_id: image.id,
      end_frame_asset_id: null,
      reference_video_asset_id: video.id,
      queue_position: null,
      status_message: null,
      failure_reason: null,
      price_credits: 80,
      idempotency_key: randomBytes(8).toString("hex"),
      retry_of: null,
      output_video_key: null,
      output_poster_key: null,
      output_duration_ms: null,
      output_width: null,
      output_height: null,
      output_bytes: null,
      output_sha256: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

describe("planRoutes", () => {
  it("uses the reference video's probed length: over 10 s with the photo's orientation skips Kie", async () => {
    const activities = createProviderActivities({
      db: database.db,
      blobStore: createTestBlobStore(),
      scratchDir: "/nonexistent",
      providers: createProviderRegistry({ kling: { accessKey: "a", secretKey: "s" }, kie: { apiKey: "k" } }),
      mediaUrlFor: () => "http://127.0.0.1:9/unused",
    });
    const userId = await createFundedUser(database.db, 0);
    // Kie is cheaper, so it leads whenever it can take the job.
    expect(await activities.planRoutes(await motionControlGeneration(userId, 8, "image"))).toEqual(["kie", "kling"]);
    expect(await activities.planRoutes(await motionControlGeneration(userId, 14, "image"))).toEqual(["kling"]);
    expect(await activities.planRoutes(await motionControlGeneration(userId, 14, "video"))).toEqual(["kie", "kling"]);
  });
});
