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
  output: { generationId: string; videoPath: string; posterPath: string; durationSeconds: number; width: number; height: number },
): Promise<void> {
  const [video, poster, sha256, { size }] = await Promise.all([
    deps.blobStore.put({ path: output.videoPath }, { contentType: "video/mp4", name: "video.mp4" }),
    deps.blobStore.put({ path: output.posterPath }, { contentType: "image/jpeg", name: "poster.jpg" }),
    sha256OfFile(output.videoPath),
    stat(output.videoPath),
  ]);
  await recordOutput(deps.db, output.generationId, {
    videoKey: video.key,
    posterKey: poster.key,
    durationMs: Math.round(output.durationSeconds * 1000),
    width: output.width,
    height: output.height,
    bytes: size,
    sha256,
  });
}
