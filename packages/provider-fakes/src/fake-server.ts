// One Node http server hosting every fake provider under its own path prefix
// (/kling, /google, /bytedance, /kie, /fal, /replicate), their outputs (/outputs/…), test media
// (/media/…) and an HTTP control API (/__control/…) for offline demos.
import { randomBytes } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  changeShape,
  faultMarkers,
  fakeProviderIds,
  FakeState,
  isRecord,
  sendResponse,
  type FakeJob,
  type FakeProtocol,
  type FakeProviderId,
  type Fault,
  type JobOutcome,
  type Lifecycle,
  type RecordedRequest,
  type WebhookDelivery,
} from "./fake-core";
import { FAKE_PHOTO_PNG } from "./fake-video";
import { createBytedanceProtocol } from "./protocols/bytedance-protocol";
import { createFalProtocol } from "./protocols/fal-protocol";
import { createGoogleProtocol } from "./protocols/google-protocol";
import { createKieProtocol } from "./protocols/kie-protocol";
import { createKlingProtocol } from "./protocols/kling-protocol";
import { createReplicateProtocol } from "./protocols/replicate-protocol";
import { createFalSigningKey, falWebhookHeaders, kieWebhookHeaders, standardWebhookHeaders } from "./webhook-signing";

export interface FakeCredentials {
  kling: { accessKey: string; secretKey: string };
  google: { apiKey: string; webhookSecret: string };
  bytedance: { apiKey: string };
  kie: { apiKey: string; webhookHmacKey: string };
  /** `adminApiKey`: when set, only it may delete a request's data (ADMIN scope); otherwise `apiKey` may. */
  fal: { apiKey: string; adminApiKey?: string };
  replicate: { apiToken: string; webhookSecret: string };
}

/** Fixed, obviously fake credentials: tests configure adapters with these. */
export const defaultFakeCredentials: FakeCredentials = {
  kling: { accessKey: "fake-kling-access", secretKey: "fake-kling-secret" },
  google: {
    apiKey: "fake-google-key",
    webhookSecret: `whsec_${Buffer.from("fake-gemini-webhook-signing-key!").toString("base64")}`,
  },
  bytedance: { apiKey: "fake-ark-key" },
  kie: { apiKey: "fake-kie-key", webhookHmacKey: "fake-kie-hmac" },
  fal: { apiKey: "fake-fal-id:fake-fal-secret" },
  replicate: {
    apiToken: "r8_fake_token",
    webhookSecret: `whsec_${Buffer.from("fake-replicate-signing-key-32byte").toString("base64")}`,
  },
};

export interface StartFakeProvidersOptions {
  /** Default: a free port. */
  port?: number;
  host?: string;
  /** The MP4 served as every output (see ensureFakeVideo). */
  videoPath: string;
  credentials?: Partial<FakeCredentials>;
  /** Lifecycle for every provider (per-provider changes through control.setLifecycle). */
  lifecycle?: Partial<Lifecycle>;
  /** How long output URLs stay valid. Default 1 h. */
  outputTtlMs?: number;
}

export interface FakeProvidersControl {
  /** Adds a fault for a provider (see Fault); faults apply in the order added. */
  injectFault(provider: FakeProviderId, fault: Fault): void;
  clearFaults(provider?: FakeProviderId): void;
  setLifecycle(provider: FakeProviderId | "all", lifecycle: Partial<Lifecycle>): void;
  /** Ends a job now (sends its webhooks). Default outcome: succeeded, or moderation when flagged. */
  completeJob(provider: FakeProviderId, jobId: string, outcome?: JobOutcome): void;
  /** Makes every output URL issued so far answer as expired. */
  expireOutputs(): void;
  jobs(provider?: FakeProviderId): FakeJob[];
  /**
   * How many jobs each provider created (whatever happened to the answer): what an audit
   * compares with the jobs the application recorded, to find jobs it caused but cannot name.
   */
  jobCounts(): Record<FakeProviderId, number>;
  /** Forgets recorded requests and deliveries (jobs and faults stay). */
  clearRecords(): void;
}

export interface FakeProviders {
  origin: string;
  /** What each adapter's baseUrl should be. */
  baseUrls: Record<FakeProviderId, string>;
  falJwksUrl: string;
  /** Where fal's other hosts are served: https://fal.run (sync runs) and https://rest.fal.ai (storage). */
  falHosts: { queue: string; run: string; rest: string };
  /** What the fal adapter's platformBaseUrl should be (fal's Platform API: deleting a request's data). */
  falPlatformBaseUrl: string;
  credentials: FakeCredentials;
  /** Every request received, in order (live array). */
  requests: RecordedRequest[];
  /** Every webhook sent, in order (live array). */
  deliveries: WebhookDelivery[];
  control: FakeProvidersControl;
  /** URLs of test media served by the fake (stand-ins for our signed storage URLs). */
  mediaUrl(name: "photo.png" | "end.png" | "reference.mp4"): string;
  /** The providers' signing schemes with the fakes' keys, for crafting forged/stale deliveries. */
  sign: {
    fal(requestId: string, body: string, timestampSeconds: number, userId?: string): Record<string, string>;
    replicate(id: string, body: string, timestampSeconds: number): Record<string, string>;
    google(id: string, body: string, timestampSeconds: number): Record<string, string>;
    kie(taskId: string, timestampSeconds: number): Record<string, string>;
  };
  stop(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFakeProviders(options: StartFakeProvidersOptions): Promise<FakeProviders> {
  const credentials: FakeCredentials = { ...defaultFakeCredentials, ...options.credentials };
  const falKey = createFalSigningKey(`fake-fal-${randomBytes(4).toString("hex")}`);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const origin = `http://${options.host ?? "127.0.0.1"}:${address.port}`;
  const state = new FakeState(origin);
  if (options.outputTtlMs !== undefined) state.outputTtlMs = options.outputTtlMs;
  const setLifecycle = (provider: FakeProviderId | "all", lifecycle: Partial<Lifecycle>) => {
    for (const id of provider === "all" ? fakeProviderIds : [provider])
      state.lifecycles.set(id, { ...state.lifecycle(id), ...lifecycle });
  };
  if (options.lifecycle) setLifecycle("all", options.lifecycle);

  const protocols = new Map<FakeProviderId, FakeProtocol>([
    ["kling", createKlingProtocol(state, credentials.kling)],
    ["google", createGoogleProtocol(state, credentials.google)],
    ["bytedance", createBytedanceProtocol(state, credentials.bytedance)],
    ["kie", createKieProtocol(state, credentials.kie)],
    ["fal", createFalProtocol(state, credentials.fal, falKey)],
    ["replicate", createReplicateProtocol(state, credentials.replicate)],
  ]);

  const serveOutput = (req: IncomingMessage, res: ServerResponse, outputId: string) => {
    const output = state.outputs.get(outputId);
    if (!output) return sendResponse(res, { status: 404, body: "<Error><Code>NoSuchKey</Code></Error>", raw: true });
    if (output.expired || Date.now() > output.expiresAt)
      return sendResponse(res, {
        status: 403,
        body: "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
        raw: true,
      });
    const size = statSync(options.videoPath).size;
    res.writeHead(200, { "content-type": "video/mp4", "content-length": String(size) });
    if (req.method === "HEAD") return res.end();
    createReadStream(options.videoPath).pipe(res);
  };

  const handleControl = (res: ServerResponse, method: string, action: string, body: unknown) => {
    const input = isRecord(body) ? body : {};
    const provider = input.provider as FakeProviderId | undefined;
    if (method === "GET" && action === "requests")
      return sendResponse(res, { status: 200, body: state.requests.filter((r) => r.provider !== "control") });
    if (method === "GET" && action === "deliveries") return sendResponse(res, { status: 200, body: state.deliveries });
    if (method === "GET" && action === "jobs")
      return sendResponse(res, {
        status: 200,
        body: {
          counts: control.jobCounts(),
          jobs: control
            .jobs()
            .map((j) => ({ provider: j.provider, id: j.id, phase: j.phase, outcome: j.outcome ?? null })),
        },
      });
    if (method === "POST" && action === "faults" && provider && isRecord(input.fault)) {
      control.injectFault(provider, input.fault as unknown as Fault);
      return sendResponse(res, { status: 204, body: undefined });
    }
    if (method === "DELETE" && action === "faults") {
      control.clearFaults(provider);
      return sendResponse(res, { status: 204, body: undefined });
    }
    if (method === "POST" && action === "lifecycle" && isRecord(input.lifecycle)) {
      setLifecycle(provider ?? "all", input.lifecycle);
      return sendResponse(res, { status: 204, body: undefined });
    }
    if (method === "POST" && action === "complete" && provider && typeof input.jobId === "string") {
      control.completeJob(provider, input.jobId, input.outcome as JobOutcome | undefined);
      return sendResponse(res, { status: 204, body: undefined });
    }
    if (method === "POST" && action === "expire-outputs") {
      control.expireOutputs();
      return sendResponse(res, { status: 204, body: undefined });
    }
    return sendResponse(res, { status: 404, body: { error: "unknown control action" } });
  };

  server.on("request", (req, res) => {
    void (async () => {
      const method = req.method ?? "GET";
      const url = new URL(req.url ?? "/", origin);
      // Bytes kept for uploads (multipart forms, PUT file bodies); everything else reads the text.
      const bodyBytes = await readBody(req);
      const rawBody = bodyBytes.toString("utf8");
      const [, first = "", ...rest] = url.pathname.split("/");
      const subPath = `/${rest.join("/")}`;
      const recordAs: RecordedRequest["provider"] = (fakeProviderIds as readonly string[]).includes(first)
        ? (first as FakeProviderId)
        : first === "outputs"
          ? "outputs"
          : first === "media"
            ? "media"
            : "control";
      state.requests.push({
        provider: recordAs,
        method,
        path: `${url.pathname}${url.search}`,
        headers: req.headers,
        body: rawBody,
        at: Date.now(),
      });

      if (first === "outputs") return serveOutput(req, res, (rest[0] ?? "").replace(/\.mp4$/, ""));
      if (first === "media") {
        if (rest[0] === "reference.mp4")
          return (
            res.writeHead(200, { "content-type": "video/mp4" }),
            void createReadStream(options.videoPath).pipe(res)
          );
        if (rest[0] === "photo.png" || rest[0] === "end.png")
          return (res.writeHead(200, { "content-type": "image/png" }), void res.end(FAKE_PHOTO_PNG));
        return sendResponse(res, { status: 404, body: { error: "no such media" } });
      }
      if (first === "__control") {
        let json: unknown;
        try {
          json = rawBody ? JSON.parse(rawBody) : undefined;
        } catch {
          json = undefined;
        }
        return handleControl(res, method, rest[0] ?? "", json);
      }
      const protocol = protocols.get(first as FakeProviderId);
      if (!protocol) return sendResponse(res, { status: 404, body: { error: "unknown fake provider" } });

      const denied = await protocol.authorize(req.headers, method, subPath);
      if (denied) return sendResponse(res, denied);

      const markers = faultMarkers(rawBody);
      // fal's key endpoint and its CDN (an object store) are not the API the faults stand for.
      const faultFree = first === "fal" && (subPath === "/.well-known/jwks.json" || subPath.startsWith("/.cdn/"));
      const fault = faultFree
        ? undefined
        : state.takeRequestFault(protocol.id, protocol.isSubmit(method, subPath) ? "submit" : "poll", markers);
      if (fault?.kind === "hang") return; // the socket stays open until stop() closes it
      if (fault?.kind === "slow") await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 1000));
      if (fault?.kind === "malformed")
        return sendResponse(res, {
          status: 200,
          body: '<html><body>502 Bad Gateway</body></html>{"data": ',
          raw: true,
        });
      if (fault && fault.kind !== "slow" && fault.kind !== "lost_response" && fault.kind !== "shape_change")
        return sendResponse(res, protocol.faultResponse(fault));

      let json: unknown;
      try {
        json = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        json = undefined;
      }
      const response = await protocol.handle({
        method,
        path: subPath,
        query: url.searchParams,
        headers: req.headers,
        rawBody,
        bodyBytes,
        json,
        markers,
      });
      if (!response) return sendResponse(res, { status: 404, body: { error: `no route ${method} ${url.pathname}` } });
      if (fault?.kind === "lost_response")
        return sendResponse(res, { status: 502, body: "<html><body>502 Bad Gateway</body></html>", raw: true });
      if (fault?.kind === "shape_change" && response.status < 300 && !response.raw && !response.stream)
        return sendResponse(res, { ...response, body: changeShape(response.body) });
      const outputId = response.headers?.["x-fake-output"];
      if (outputId !== undefined) return serveOutput(req, res, outputId);
      sendResponse(res, response);
    })().catch((error: unknown) => {
      if (!res.headersSent)
        sendResponse(res, { status: 500, body: { error: error instanceof Error ? error.message : "fake failed" } });
    });
  });

  const control: FakeProvidersControl = {
    injectFault(provider, fault) {
      const list = state.faults.get(provider) ?? [];
      list.push({ ...fault });
      state.faults.set(provider, list);
    },
    clearFaults(provider) {
      if (provider) state.faults.delete(provider);
      else state.faults.clear();
    },
    setLifecycle,
    completeJob(provider, jobId, outcome) {
      // Google's job id is the operation name (models/…/operations/{id}); the fake keys on the id.
      const job = state.getJob(provider, jobId) ?? state.getJob(provider, jobId.split("/").at(-1) ?? jobId);
      if (!job) throw new Error(`no ${provider} job ${jobId}`);
      state.finish(job, outcome);
    },
    expireOutputs() {
      for (const output of state.outputs.values()) output.expired = true;
    },
    jobs: (provider) => [...state.jobs.values()].filter((j) => provider === undefined || j.provider === provider),
    jobCounts() {
      const counts = Object.fromEntries(fakeProviderIds.map((id) => [id, 0])) as Record<FakeProviderId, number>;
      for (const job of state.jobs.values()) counts[job.provider] += 1;
      return counts;
    },
    clearRecords() {
      state.requests.length = 0;
      state.deliveries.length = 0;
    },
  };

  const base = (id: FakeProviderId) => `${origin}/${id}`;
  return {
    origin,
    baseUrls: {
      kling: base("kling"),
      google: base("google"),
      bytedance: base("bytedance"),
      kie: base("kie"),
      fal: base("fal"),
      replicate: base("replicate"),
    },
    falJwksUrl: `${origin}/fal/.well-known/jwks.json`,
    falHosts: { queue: base("fal"), run: `${origin}/fal/.run`, rest: `${origin}/fal/.rest` },
    falPlatformBaseUrl: `${origin}/fal/v1`,
    credentials,
    requests: state.requests,
    deliveries: state.deliveries,
    control,
    mediaUrl: (name) => `${origin}/media/${name}`,
    sign: {
      fal: (requestId, body, timestampSeconds, userId = "fake-fal-account") =>
        falWebhookHeaders(falKey, requestId, userId, timestampSeconds, body),
      replicate: (id, body, timestampSeconds) =>
        standardWebhookHeaders(credentials.replicate.webhookSecret, id, timestampSeconds, body),
      google: (id, body, timestampSeconds) =>
        standardWebhookHeaders(credentials.google.webhookSecret, id, timestampSeconds, body),
      kie: (taskId, timestampSeconds) => kieWebhookHeaders(credentials.kie.webhookHmacKey, taskId, timestampSeconds),
    },
    async stop() {
      await state.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
