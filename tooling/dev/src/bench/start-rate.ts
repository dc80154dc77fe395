// startRateRatio: generations started per second through the tRPC endpoint (a burst of
// creates, `concurrency` in flight, like browsers pressing Generate) divided by bare
// `client.workflow.start` of a no-op workflow on the same Temporal server, same concurrency.
// Both start on task queues nobody polls, so only starting is measured (no render competes
// for the cores).
import { randomUUID } from "node:crypto";
import type { Client } from "@temporalio/client";
import type { AnimateParamsInput } from "@animateimg/animate-engine";
import { quantile, runPool } from "./stats";
import type { TrpcBrowser } from "./trpc-client";

export interface StartRateFigures {
  createsPerSec: number;
  createP50Ms: number;
  bareStartsPerSec: number;
  bareStartP50Ms: number;
  startRateRatio: number;
}

async function timedBurst(count: number, concurrency: number, task: () => Promise<unknown>) {
  const started = performance.now();
  const latencies = await runPool(count, concurrency, async () => {
    const t0 = performance.now();
    await task();
    return performance.now() - t0;
  });
  return { perSec: count / ((performance.now() - started) / 1000), p50: quantile(latencies, 0.5) };
}

export async function measureStartRate(options: {
  browser: TrpcBrowser;
  client: Client;
  imageAssetId: string;
  clip: AnimateParamsInput;
  count: number;
  concurrency: number;
}): Promise<StartRateFigures> {
  const { browser, client, imageAssetId, clip, count, concurrency } = options;
  const create = () =>
    browser.mutate("generation.create", {
      modelId: "animate",
      prompt: "bench",
      params: clip,
      imageAssetId,
      private: true,
      idempotencyKey: randomUUID(),
    });
  const noopQueue = `bench-noop-${process.pid}`;
  const bareStart = () =>
    client.workflow.start("benchNoop", { taskQueue: noopQueue, workflowId: `bench-noop-${randomUUID()}`, args: [] });
  // Warm both paths (connections, prepared plans) before timing them.
  await Promise.all(Array.from({ length: Math.min(concurrency, 5) }, () => Promise.all([create(), bareStart()])));
  const creates = await timedBurst(count, concurrency, create);
  const bare = await timedBurst(count, concurrency, bareStart);
  return {
    createsPerSec: creates.perSec,
    createP50Ms: creates.p50,
    bareStartsPerSec: bare.perSec,
    bareStartP50Ms: bare.p50,
    startRateRatio: creates.perSec / bare.perSec,
  };
}
