// e2eOverRawFfmpeg and overheadP50Ms/P95Ms: sequential Animate generations, each from the
// create call over HTTP until the status stream shows it succeeded (stored, captured), next to
// ffmpeg alone rendering the same clip from the same photo with the same filter graph.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import {
  animateParamsSchema,
  buildFfmpegArgs,
  buildFilterGraph,
  type AnimateParamsInput,
} from "@animateimg/animate-engine";
import type { Db } from "@animateimg/db";
import { testPhoto } from "@animateimg/workflows/testing/generation-fixtures";
import { median, quantile } from "./stats";
import type { TrpcBrowser } from "./trpc-client";

interface StatusEvent {
  kind: "update" | "removed" | "resync";
  generation?: { id: string; status: string };
}

export interface EndToEndFigures {
  endToEndMs: number[];
  engineMs: number[];
  rawFfmpegMs: number[];
  e2eOverRawFfmpeg: number;
  overheadP50Ms: number;
  overheadP95Ms: number;
}

export async function measureEndToEnd(options: {
  db: Db;
  browser: TrpcBrowser;
  imageAssetId: string;
  clip: AnimateParamsInput;
  runs: number;
  scratch: string;
}): Promise<EndToEndFigures> {
  const { db, browser, imageAssetId, clip, runs, scratch } = options;
  const waiting = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  const seen = new Map<string, string>();
  const stream = await browser.subscribe<StatusEvent>("generation.onStatus", undefined, (event) => {
    if (event.kind !== "update" || !event.generation) return;
    const { id, status } = event.generation;
    seen.set(id, status);
    if (status === "succeeded") waiting.get(id)?.resolve();
    if (status === "failed" || status === "canceled") waiting.get(id)?.reject(new Error(`generation ${id} ${status}`));
  });
  const generateOnce = async () => {
    const started = performance.now();
    const created = await browser.mutate<{ id: string }>("generation.create", {
      modelId: "animate",
      prompt: "bench",
      params: clip,
      imageAssetId,
      private: true,
      idempotencyKey: randomUUID(),
    });
    await new Promise<void>((resolve, reject) => {
      waiting.set(created.id, { resolve, reject });
      if (seen.get(created.id) === "succeeded") resolve();
    });
    const endToEnd = performance.now() - started;
    const attempt = await db
      .selectFrom("generation_attempts")
      .select("engine_ms")
      .where("generation_id", "=", created.id)
      .executeTakeFirstOrThrow();
    return { endToEnd, engine: attempt.engine_ms ?? 0 };
  };
  try {
    // The first one pays for cold caches (bundle load, first connections) and is not counted.
    await generateOnce();
    const results: Array<{ endToEnd: number; engine: number }> = [];
    for (let i = 0; i < runs; i += 1) results.push(await generateOnce());

    const photo = path.join(scratch, "e2e-photo.jpg");
    writeFileSync(photo, testPhoto());
    const [width, height] = execFileSync("ffprobe", [
      "-v",
      "error",
      "-select_streams",
      "v:0",
      "-show_entries",
      "stream=width,height",
      "-of",
      "csv=p=0",
      photo,
    ])
      .toString()
      .trim()
      .split(",")
      .map(Number) as [number, number];
    const plan = buildFilterGraph(animateParamsSchema.parse(clip), { width, height });
    const rawFfmpegMs: number[] = [];
    for (let i = 0; i < Math.max(runs, 1); i += 1) {
      const started = performance.now();
      execFileSync(
        "ffmpeg",
        buildFfmpegArgs(plan, photo, path.join(scratch, `raw${i}.mp4`), {
          path: path.join(scratch, `raw${i}.jpg`),
          format: "jpeg",
        }),
        {
          stdio: "ignore",
        },
      );
      rawFfmpegMs.push(performance.now() - started);
    }
    const endToEndMs = results.map((r) => r.endToEnd);
    const overheads = results.map((r) => r.endToEnd - r.engine);
    return {
      endToEndMs,
      engineMs: results.map((r) => r.engine),
      rawFfmpegMs,
      e2eOverRawFfmpeg: median(endToEndMs) / median(rawFfmpegMs),
      overheadP50Ms: quantile(overheads, 0.5),
      overheadP95Ms: quantile(overheads, 0.95),
    };
  } finally {
    stream.close();
  }
}
