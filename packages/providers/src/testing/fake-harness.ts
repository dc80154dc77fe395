// Test support: the fake providers, adapters wired to them, a tiny webhook receiver, and waits
// on conditions (never fixed sleeps).
import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { ModelId } from "@animateimg/catalog";
import {
  ensureFakeVideo,
  startFakeProviders,
  type FakeProviderId,
  type FakeProviders,
} from "@animateimg/provider-fakes";
import type { JobStatus, ProviderAdapter, SubmitRequest } from "../adapter";
import { createBytedanceAdapter } from "../bytedance/bytedance-adapter";
import { createFalAdapter } from "../fal/fal-adapter";
import { createGoogleAdapter } from "../google/google-adapter";
import { createKieAdapter } from "../kie/kie-adapter";
import { createKlingAdapter } from "../kling/kling-adapter";
import type { ProviderRegistryConfig } from "../provider-registry";
import { createReplicateAdapter } from "../replicate/replicate-adapter";

export async function startFakes(
  options: { credentials?: Parameters<typeof startFakeProviders>[0]["credentials"] } = {},
): Promise<FakeProviders> {
  const videoPath = await ensureFakeVideo();
  return startFakeProviders({ videoPath, ...options });
}

/** Registry config pointing every provider at the fakes with their credentials. */
export function fakeRegistryConfig(fakes: FakeProviders, timeoutMs = 5_000): ProviderRegistryConfig {
  const c = fakes.credentials;
  return {
    timeoutMs,
    kling: { baseUrl: fakes.baseUrls.kling, accessKey: c.kling.accessKey, secretKey: c.kling.secretKey },
    google: { baseUrl: fakes.baseUrls.google, apiKey: c.google.apiKey, webhookSecret: c.google.webhookSecret },
    bytedance: { baseUrl: fakes.baseUrls.bytedance, apiKey: c.bytedance.apiKey },
    kie: { baseUrl: fakes.baseUrls.kie, apiKey: c.kie.apiKey, webhookHmacKey: c.kie.webhookHmacKey },
    fal: {
      baseUrl: fakes.baseUrls.fal,
      apiKey: c.fal.apiKey,
      jwksUrl: fakes.falJwksUrl,
      platformBaseUrl: fakes.falPlatformBaseUrl,
      adminApiKey: c.fal.adminApiKey,
    },
    replicate: {
      baseUrl: fakes.baseUrls.replicate,
      apiToken: c.replicate.apiToken,
      webhookSecret: c.replicate.webhookSecret,
    },
  };
}

/** One adapter on the fakes; `wrongKey` swaps in a credential the fake refuses. */
export function fakeAdapter(
  fakes: FakeProviders,
  provider: FakeProviderId,
  options: { timeoutMs?: number; wrongKey?: boolean } = {},
): ProviderAdapter {
  const config = fakeRegistryConfig(fakes, options.timeoutMs ?? 5_000);
  const bad = options.wrongKey ? "definitely-wrong" : undefined;
  const shared = { timeoutMs: config.timeoutMs };
  switch (provider) {
    case "kling":
      return createKlingAdapter({
        ...shared,
        ...config.kling!,
        baseUrl: fakes.baseUrls.kling,
        secretKey: bad ?? config.kling!.secretKey,
      });
    case "google":
      return createGoogleAdapter({ ...shared, ...config.google!, apiKey: bad ?? config.google!.apiKey! });
    case "bytedance":
      return createBytedanceAdapter({ ...shared, ...config.bytedance!, apiKey: bad ?? config.bytedance!.apiKey! });
    case "kie":
      return createKieAdapter({ ...shared, ...config.kie!, apiKey: bad ?? config.kie!.apiKey! });
    case "fal":
      return createFalAdapter({ ...shared, ...config.fal!, apiKey: bad ?? config.fal!.apiKey! });
    case "replicate":
      return createReplicateAdapter({ ...shared, ...config.replicate!, apiToken: bad ?? config.replicate!.apiToken! });
  }
}

export function submitRequestFor(
  fakes: FakeProviders,
  modelId: ModelId,
  params: Record<string, unknown>,
  options: { prompt?: string; webhookUrl?: string; endFrame?: boolean; generationId?: string; attempt?: number } = {},
): SubmitRequest {
  return {
    // A fresh generation per request by default: Kling refuses a reused external id.
    generationId: options.generationId ?? randomUUID(),
    attempt: options.attempt ?? 1,
    modelId,
    prompt: options.prompt ?? "A lighthouse at dusk, waves rolling in",
    params,
    media: {
      imageUrl: fakes.mediaUrl("photo.png"),
      imageMimeType: "image/png",
      endFrameUrl: options.endFrame ? fakes.mediaUrl("end.png") : undefined,
      referenceVideoUrl: modelId === "motion-control" ? fakes.mediaUrl("reference.mp4") : undefined,
    },
    webhookUrl: options.webhookUrl,
  };
}

/** Polls until a terminal state, returning every status seen. Bounded: a job without an end fails the test. */
export async function pollToEnd(
  adapter: ProviderAdapter,
  modelId: ModelId,
  jobId: string,
  maxPolls = 20,
): Promise<JobStatus[]> {
  const seen: JobStatus[] = [];
  for (let i = 0; i < maxPolls; i++) {
    const status = await adapter.poll(modelId, jobId);
    seen.push(status);
    if (status.state === "succeeded" || status.state === "failed" || status.state === "canceled") return seen;
  }
  throw new Error(`no terminal state after ${maxPolls} polls: ${JSON.stringify(seen.map((s) => s.state))}`);
}

export async function waitFor<T>(read: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface ReceivedWebhook {
  path: string;
  headers: Headers;
  rawBody: string;
}

export interface WebhookReceiver {
  url(provider: string): string;
  received: ReceivedWebhook[];
  stop(): Promise<void>;
}

function toHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(incoming)) {
    if (typeof value === "string") headers.set(key, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(key, v);
  }
  return headers;
}

/** Stands in for our web app's webhook route: records deliveries, answers 200. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        path: req.url ?? "/",
        headers: toHeaders(req.headers),
        rawBody: Buffer.concat(chunks).toString("utf8"),
      });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: (provider) => `http://127.0.0.1:${port}/api/webhooks/${provider}`,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Downloads an output and checks it is an MP4 (ISO BMFF `ftyp` box first). */
export async function downloadMp4(
  url: string,
  headers: Record<string, string> | undefined,
): Promise<{ status: number; bytes: Buffer; isMp4: boolean }> {
  const response = await fetch(url, { headers });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, bytes, isMp4: bytes.subarray(4, 8).toString("latin1") === "ftyp" };
}
