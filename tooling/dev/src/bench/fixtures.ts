import { randomUUID } from "node:crypto";
import type { Db } from "@animateimg/db";

/**
 * Queued generation rows for `userId`, inserted in one statement: what the ledger and the status
 * stream need to refer to, without paying for `count` creates (those are measured elsewhere).
 */
export async function insertQueuedGenerations(
  db: Db,
  options: { userId: string; imageAssetId: string; count: number; priceCredits: number },
): Promise<string[]> {
  const rows = await db
    .insertInto("generations")
    .values(
      Array.from({ length: options.count }, () => ({
        user_id: options.userId,
        model_id: "animate",
        prompt: "bench",
        params: JSON.stringify({}),
        image_asset_id: options.imageAssetId,
        end_frame_asset_id: null,
        reference_video_asset_id: null,
        queue_position: null,
        status_message: null,
        failure_reason: null,
        price_credits: options.priceCredits,
        idempotency_key: randomUUID(),
        retry_of: null,
        output_video_key: null,
        output_poster_key: null,
        output_duration_ms: null,
        output_width: null,
        output_height: null,
        output_bytes: null,
        output_sha256: null,
        updated_at: new Date(),
        started_at: null,
        finished_at: null,
        deleted_at: null,
      })),
    )
    .returning("id")
    .execute();
  return rows.map((row) => row.id);
}
