// A real worker in its own process, for tests that must kill one (SIGKILL) mid-activity and
// for the pipeline bench (its memory is its own). Configured by environment; prints
// "worker-ready" once it polls. PROVIDER_REGISTRY (JSON ProviderRegistryConfig), PROVIDER_LIMITS
// (JSON per-provider slots and rate) and MEDIA_URL point it at the provider fakes.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DefaultLogger, Runtime } from "@temporalio/worker";
import { renderAnimation } from "@animateimg/animate-engine";
import { createDb } from "@animateimg/db";
import { createLocalEncryptedStore } from "@animateimg/storage";
import { createProviderRegistry, type ProviderRegistryConfig } from "@animateimg/providers";
import { createCreemProcessor, createStripeProcessor, defaultOffers } from "@animateimg/payments";
import { createWorker, type CreateWorkerOptions } from "../worker";
import { testPayloadKeys } from "./test-payload-keys";

const required = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

Runtime.install({ logger: new DefaultLogger("WARN") });
const db = createDb({ url: required("DATABASE_URL"), maxConnections: 2 });
const { worker } = await createWorker({
  address: required("TEMPORAL_ADDRESS"),
  namespace: "default",
  taskQueue: required("TASK_QUEUE"),
  identity: `child-worker-${process.pid}`,
  payloadKeys: testPayloadKeys,
  workflowBundle: { codePath: required("WORKFLOW_BUNDLE_PATH") },
  ...(process.env.RENDER_SLOTS ? { renderSlots: Number(process.env.RENDER_SLOTS) } : {}),
  ...(process.env.PROVIDER_LIMITS
    ? { providerLimits: JSON.parse(process.env.PROVIDER_LIMITS) as CreateWorkerOptions["providerLimits"] }
    : {}),
  deps: {
    db,
    blobStore: createLocalEncryptedStore({
      root: required("BLOB_ROOT"),
      keys: new Map([["test", Buffer.from(required("BLOB_KEY"), "base64")]]),
      activeKeyId: "test",
    }),
    renderAnimation,
    scratchDir: mkdtempSync(path.join(tmpdir(), "animateimg-child-scratch-")),
    providers: createProviderRegistry(
      process.env.PROVIDER_REGISTRY ? (JSON.parse(process.env.PROVIDER_REGISTRY) as ProviderRegistryConfig) : {},
    ),
    mediaUrlFor: (key) => process.env.MEDIA_URL ?? `http://127.0.0.1:9/unreachable/${key}`,
    // Payment tests point the worker at the Stripe or the Creem fake.
    ...(process.env.CREEM_API_KEY
      ? {
          payments: {
            processor: createCreemProcessor({
              apiKey: required("CREEM_API_KEY"),
              webhookSecret: required("CREEM_WEBHOOK_SECRET"),
              serverURL: required("CREEM_SERVER_URL"),
              offers: defaultOffers,
            }),
            offers: defaultOffers,
          },
        }
      : {}),
    ...(process.env.STRIPE_SECRET_KEY
      ? {
          payments: {
            processor: createStripeProcessor({
              secretKey: required("STRIPE_SECRET_KEY"),
              webhookSecret: required("STRIPE_WEBHOOK_SECRET"),
              host: "127.0.0.1",
              port: Number(required("STRIPE_PORT")),
              protocol: "http",
            }),
            offers: defaultOffers,
          },
        }
      : {}),
  },
});
const running = worker.run();
console.log("worker-ready");
await running;
