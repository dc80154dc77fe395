import { randomBytes, randomUUID } from "node:crypto";
import type { Db } from "@animateimg/db";
import type { BlobStore } from "@animateimg/storage";
import { fromBuffer, type Entry } from "yauzl";

export interface SeededAccount {
  userId: string;
  email: string;
  uploads: Array<{ assetId: string; bytes: Buffer; name: string }>;
  generations: Array<{ id: string; prompt: string; output: Buffer | null }>;
  ledgerKeys: string[];
}

/**
 * A person with a history: two uploads (one with a name that is not a safe path), three
 * generations (two with stored videos, one failed with a two-attempt log) and ledger rows.
 * Bytes are random so that no two accounts share a file.
 */
export async function seedAccountWithHistory(db: Db, store: BlobStore, label: string): Promise<SeededAccount> {
  const email = `${label}-${randomUUID()}@example.test`;
  const { id: userId } = await db
    .insertInto("users")
    .values({ email, name: `${label} person`, email_verified_at: new Date() })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("sessions")
    .values({
      id: randomBytes(16).toString("hex"),
      secret_hash: randomBytes(32),
      user_id: userId,
      expires_at: new Date(Date.now() + 86_400_000),
      absolute_expires_at: new Date(Date.now() + 30 * 86_400_000),
      user_agent: `agent-of-${label}`,
      ip: "203.0.113.7",
    })
    .execute();

  const uploads: SeededAccount["uploads"] = [];
  for (const name of [`${label} photo ñ.jpg`, "../../etc/passwd"]) {
    const bytes = randomBytes(70_000 + uploads.length * 1000);
    const stored = await store.put(bytes, { contentType: "image/jpeg" });
    const { id } = await db
      .insertInto("assets")
      .values({
        user_id: userId,
        kind: "image",
        mime: "image/jpeg",
        original_name: name,
        width: 10,
        height: 10,
        duration_ms: null,
        bytes: bytes.length,
        sha256: "0".repeat(64),
        storage_driver: store.driver,
        original_key: stored.key,
        thumbnail_key: stored.key,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    uploads.push({ assetId: id, bytes, name });
  }

  const generations: SeededAccount["generations"] = [];
  for (const [index, status] of (["succeeded", "succeeded", "failed"] as const).entries()) {
    const prompt = `${label} prompt ${index} ${randomUUID()}`;
    const output = status === "succeeded" ? randomBytes(150_000 + index) : null;
    const stored = output ? await store.put(output, { contentType: "video/mp4" }) : null;
    const { id } = await db
      .insertInto("generations")
      .values({
        user_id: userId,
        model_id: "animate",
        prompt,
        params: JSON.stringify({ motion: "zoom-in", seed: index }),
        image_asset_id: uploads[0]!.assetId,
        status,
        price_credits: 1,
        idempotency_key: randomUUID(),
        failure_reason: status === "failed" ? "provider_error" : null,
        output_video_key: stored?.key ?? null,
        output_bytes: output?.length ?? null,
        finished_at: new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("generation_attempts")
      .values(
        status === "failed"
          ? [
              {
                generation_id: id,
                attempt_no: 1,
                provider: "kie",
                outcome: "failed",
                error_kind: "transient",
                error_message: `${label} upstream 502`,
              },
              { generation_id: id, attempt_no: 2, provider: "fal", outcome: "failed", error_kind: "invalid_input" },
            ]
          : [
              {
                generation_id: id,
                attempt_no: 1,
                provider: "local",
                outcome: "succeeded",
                provider_job_id: `job-${label}-${index}`,
              },
            ],
      )
      .execute();
    generations.push({ id, prompt, output });
  }

  const ledgerKeys = [`grant:${label}:${userId}`];
  await db
    .insertInto("credit_ledger")
    .values({ user_id: userId, kind: "grant", amount: 25, idempotency_key: ledgerKeys[0]!, reason: `${label} welcome` })
    .execute();
  return { userId, email, uploads, generations, ledgerKeys };
}

/** Every entry of a ZIP, by path (tests read small archives whole). */
export async function unzipEntries(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error) return reject(error);
      const entries = new Map<string, Buffer>();
      file.on("error", reject);
      file.on("end", () => resolve(entries));
      file.on("entry", (entry: Entry) => {
        file.openReadStream(entry, (openError, stream) => {
          if (openError) return reject(openError);
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("error", reject);
          stream.on("end", () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            file.readEntry();
          });
        });
      });
      file.readEntry();
    });
  });
}
