// Rows the package's own tests start from (not exported: other packages have their fixtures).
import { randomUUID } from "node:crypto";
import type { Db } from "@animateimg/db";

/** A new user and one uploaded photo of theirs (a 1×1 PNG's row; no stored file). */
export async function insertUserWithPhoto(db: Db): Promise<{ userId: string; assetId: string }> {
  const { id: userId } = await db
    .insertInto("users")
    .values({ email: `${randomUUID()}@example.test`, name: "T" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const { id: assetId } = await db
    .insertInto("assets")
    .values({
      user_id: userId,
      kind: "image",
      mime: "image/png",
      original_name: "p.png",
      width: 1,
      height: 1,
      duration_ms: null,
      bytes: 1,
      sha256: "0".repeat(64),
      storage_driver: "local",
      original_key: randomUUID(),
      thumbnail_key: randomUUID(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { userId, assetId };
}
