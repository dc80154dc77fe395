// One worker process of the chaos run (so it can be SIGKILLed): the real createWorker with the
// provider fakes as upstreams, configured by CHAOS_WORKER (JSON). Prints "worker-ready".
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DefaultLogger, Runtime } from "@temporalio/worker";
import { renderAnimation } from "@animateimg/animate-engine";
import { createDb } from "@animateimg/db";
import { createProviderRegistry, type ProviderRegistryConfig } from "@animateimg/providers";
import { createLocalEncryptedStore } from "@animateimg/storage";
import type { GenerationTimeouts, ReconcileGenerationsInput } from "@animateimg/workflows/shared";
import { createWorker } from "@animateimg/workflows/worker";

export interface ChaosWorkerConfig {
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  bundlePath: string;
  blobRoot: string;
  blobKey: string;
  providers: ProviderRegistryConfig;
  mediaUrl: string;
  identity: string;
  renderSlots: number;
  timeouts: GenerationTimeouts;
  reconcile: { every: string; input: ReconcileGenerationsInput };
}

const config = JSON.parse(process.env.CHAOS_WORKER ?? "{}") as ChaosWorkerConfig;
Runtime.install({ logger: new DefaultLogger("ERROR") });
const db = createDb({ url: config.databaseUrl, maxConnections: 8 });
const { worker } = await createWorker({
  address: config.temporalAddress,
  namespace: "default",
  taskQueue: config.taskQueue,
  identity: config.identity,
  workflowBundle: { codePath: config.bundlePath },
  renderSlots: config.renderSlots,
  registerSchedules: { reconcileEvery: config.reconcile.every, reconcile: config.reconcile.input },
  generationTimeouts: config.timeouts,
  deps: {
    db,
    blobStore: createLocalEncryptedStore({
      root: config.blobRoot,
      keys: new Map([["chaos", Buffer.from(config.blobKey, "base64")]]),
      activeKeyId: "chaos",
    }),
    renderAnimation,
    scratchDir: mkdtempSync(path.join(tmpdir(), "animateimg-chaos-scratch-")),
    providers: createProviderRegistry(config.providers),
    mediaUrlFor: () => config.mediaUrl,
  },
});
const running = worker.run();
console.log("worker-ready");
await running;
await db.destroy();
