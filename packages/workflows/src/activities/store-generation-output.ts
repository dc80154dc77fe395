import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { Db } from "@animateimg/db";
import { recordOutput } from "@animateimg/generations";
import type { BlobStore } from "@animateimg/storage";

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Puts a finished video and its poster into our storage and records them on the generation,
 * whichever route made them: the engine's render or a provider's (expiring) output.
 */
export async function storeGenerationOutput(
  deps: { db: Db; blobStore: BlobStore },
  output: {
    generationId: string;
    videoPath: string;
    posterPath: string;
    durationSeconds: number;
    width: number;
    height: number;
  },
): Promise<"recorded" | "discarded"> {
  // Whatever this attempt put and did not get recorded is removed again before it returns or
  // throws: a failed try (storage or Postgres down) leaves no orphan blobs behind.
  const stored: string[] = [];
  const put = async (file: string, contentType: string, name: string) => {
    const blob = await deps.blobStore.put({ path: file }, { contentType, name });
    stored.push(blob.key);
    return blob;
  };
  let recorded = false;
  try {
    const [video, poster, sha256, { size }] = await Promise.all([
      put(output.videoPath, "video/mp4", "video.mp4"),
      put(output.posterPath, "image/jpeg", "poster.jpg"),
      sha256OfFile(output.videoPath),
      stat(output.videoPath),
    ]);
    recorded = await recordOutput(deps.db, output.generationId, {
      videoKey: video.key,
      posterKey: poster.key,
      durationMs: Math.round(output.durationSeconds * 1000),
      width: output.width,
      height: output.height,
      bytes: size,
      sha256,
    });
    // Not recorded: the generation ended meanwhile (canceled): its output is not kept.
    return recorded ? "recorded" : "discarded";
  } finally {
    if (!recorded) await Promise.allSettled(stored.map((key) => deps.blobStore.delete(key)));
  }
}
