import { randomUUID } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { grantCredits } from "@animateimg/billing";
import type { Db } from "@animateimg/db";
import type { BlobStore } from "@animateimg/storage";

/** A verified user with `credits` granted. */
export async function createFundedUser(db: Db, credits: number): Promise<string> {
  const { id } = await db
    .insertInto("users")
    .values({ email: `${randomUUID()}@example.test`, name: "Test User", email_verified_at: new Date() })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (credits > 0)
    await grantCredits(db, {
      userId: id,
      amount: credits,
      kind: "grant",
      idempotencyKey: `test-grant:${id}`,
      reason: "test",
    });
  return id;
}

let photo: Buffer | undefined;
/** A real JPEG (ffmpeg's test pattern), made once per process. */
export function testPhoto(): Buffer {
  if (!photo) {
    const dir = mkdtempSync(path.join(tmpdir(), "animateimg-photo-"));
    const file = path.join(dir, "photo.jpg");
    execFileSync("ffmpeg", [
      "-loglevel",
      "error",
      "-f",
      "lavfi",
      "-i",
      "testsrc2=size=960x640",
      "-frames:v",
      "1",
      "-q:v",
      "3",
      file,
    ]);
    photo = readFileSync(file);
    rmSync(dir, { recursive: true, force: true });
  }
  return photo;
}

/** Stores the test photo and records it as the user's image asset. */
export async function createPhotoAsset(db: Db, blobStore: BlobStore, userId: string): Promise<string> {
  const bytes = testPhoto();
  const stored = await blobStore.put(bytes, { contentType: "image/jpeg" });
  const { id } = await db
    .insertInto("assets")
    .values({
      user_id: userId,
      kind: "image",
      mime: "image/jpeg",
      original_name: "photo.jpg",
      width: 960,
      height: 640,
      duration_ms: null,
      bytes: stored.bytes,
      sha256: "0".repeat(64),
      storage_driver: blobStore.driver,
      original_key: stored.key,
      thumbnail_key: stored.key,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}
