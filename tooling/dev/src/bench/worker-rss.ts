// workerRssMbIdle and workerRssMbAt1000InFlight: a fresh worker process of its own, its RSS at
// rest, then its peak RSS while `inFlight` generations wait at a slow provider fake (Replicate's
// protocol; jobs never finish while measured) — the provider path: slots, polling, heartbeats,
// timers. The provider's slots are opened to `inFlight` so every generation is at the provider
// at once, not queued in Temporal.
import { randomUUID } from "node:crypto";
import type { Client } from "@temporalio/client";
import type { Db } from "@animateimg/db";
import { createDbAssetLookup, createGeneration } from "@animateimg/generations";
import { waitFor } from "@animateimg/local-services";
import { ensureFakeVideo, startFakeProviders } from "@animateimg/provider-fakes";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";
import { createFundedUser, createPhotoAsset } from "@animateimg/workflows/testing/generation-fixtures";
import type { BlobStore } from "@animateimg/storage";
import { sampleRss, type BenchServices } from "./services";
import { runPool } from "./stats";

export interface WorkerRssFigures {
  idleMb: number;
  peakMbInFlight: number;
  atProvider: number;
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureWorkerRss(options: {
  services: BenchServices;
  db: Db;
  client: Client;
  blobStore: BlobStore;
  inFlight: number;
  /** How long to keep them in flight after the last one reached the provider (polls, heartbeats). */
  holdMs: number;
  log: (line: string) => void;
}): Promise<WorkerRssFigures> {
  const { services, db, client, blobStore, inFlight, holdMs, log } = options;
  // Never finishes while measured: queued for a long while, then running forever.
  const fakes = await startFakeProviders({
    videoPath: await ensureFakeVideo(),
    lifecycle: { queuedPolls: 1_000_000, pollsToComplete: 2_000_000 },
  });
  try {
    const taskQueue = `bench-rss-${process.pid}`;
    const worker = await services.startWorker({
      taskQueue,
      providerRegistry: {
        replicate: {
          baseUrl: fakes.baseUrls.replicate,
          apiToken: fakes.credentials.replicate.apiToken,
          webhookSecret: fakes.credentials.replicate.webhookSecret,
        },
      },
      providerLimits: { replicate: { concurrentJobs: inFlight, perSecond: Math.max(inFlight, 100) } },
      mediaUrl: fakes.mediaUrl("photo.png"),
    });
    try {
      // At rest: loaded, connected, polling its queues, nothing to do.
      await settle(3000);
      const idleMb = worker.rssMb();

      const sampler = sampleRss(worker);
      const userId = await createFundedUser(db, inFlight * 100);
      const imageAssetId = await createPhotoAsset(db, blobStore, userId);
      const orchestrator = createOrchestrator({ client, taskQueue }).generations;
      const deps = { orchestrator, findOwnedAssets: createDbAssetLookup(db), enabledProviders: new Set(["replicate"]) };
      await runPool(inFlight, 20, () =>
        createGeneration(
          db,
          {
            userId,
            modelId: "kling-3",
            prompt: "bench",
            params: { durationSeconds: 5, mode: "std" },
            imageAssetId,
            private: true,
            idempotencyKey: randomUUID(),
          },
          deps,
        ),
      );
      log(`worker RSS: ${inFlight} generations created; waiting for all of them at the provider`);
      await waitFor(
        "every generation to reach the provider",
        () => Promise.resolve(fakes.control.jobCounts().replicate >= inFlight ? true : undefined),
        {
          timeoutMs: 20 * 60_000,
          intervalMs: 250,
        },
      );
      await settle(holdMs);
      const peakMbInFlight = sampler.stop();
      return { idleMb, peakMbInFlight, atProvider: fakes.control.jobCounts().replicate };
    } finally {
      await worker.stop();
    }
  } finally {
    await fakes.stop();
  }
}
