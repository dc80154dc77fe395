// Fake Replicate predictions API: Bearer token, RFC 7807 errors, starting → processing →
// succeeded | failed | canceled, webhooks filtered by webhook_events_filter and signed as
// Standard Webhooks (webhook-id stays the same when a delivery is repeated). "List predictions"
// (GET /v1/predictions): newest first, 100 a page, `next`/`previous` as full URLs with a
// `cursor`, `created_after`/`created_before` filters; reading the list advances no job.
// Create by model (POST /v1/models/{owner}/{name}/predictions), by version (POST
// /v1/predictions with `version` as "{id}", "{owner}/{name}" or "{owner}/{name}:{id}") or by
// deployment (POST /v1/deployments/{owner}/{name}/predictions), sync mode (`Prefer: wait[=n]`),
// `Cancel-After` (shown as the prediction's `deadline`; not enforced), the model and its
// versions (GET /v1/models/{owner}/{name}[/versions]), a `start` webhook at create, the
// account, hardware, deployments (create, get, list, update, delete) and files (multipart
// create, get, list, download, delete), as https://replicate.com/docs/reference/http and
// https://sdks.replicate.com/resources/files and …/resources/deployments describe.
// Streaming: no video model streams, so no prediction carries `urls.stream` (the docs: "if the
// requested model version supports streaming, then the returned prediction will have a stream
// entry in its urls", https://replicate.com/docs/topics/predictions/streaming); the deprecated
// `stream` create field is accepted and changes nothing.
import { createHash, randomBytes } from "node:crypto";
import {
  bearer,
  isRecord,
  nowSeconds,
  type ApiResponse,
  type FakeJob,
  type FakeProtocol,
  type FakeState,
  type Fault,
  type ProtocolRequest,
} from "../fake-core";
import { standardWebhookHeaders } from "../webhook-signing";

function problem(status: number, title: string, detail: string, headers?: Record<string, string>): ApiResponse {
  return {
    status,
    headers,
    body: { type: `https://replicate.com/docs/reference/http#${status}`, title, status, detail },
  };
}

/** Every model a fake answers for has one version whose id is derived from its name. */
export const fakeReplicateVersionId = (model: string) =>
  createHash("sha256").update(`fake-replicate-version:${model}`).digest("hex");

// The models PROVIDERS.md names; any other owner/name is served too (the fake knows no catalogue).
const knownModels = [
  "kwaivgi/kling-v3-video",
  "google/veo-3.1",
  "bytedance/seedance-2.0",
  "kwaivgi/kling-v2.6-motion-control",
];
const allEvents = ["start", "output", "logs", "completed"];
/** The longest `Prefer: wait=n` Replicate honours (its docs: 1–60 s). */
const maxSyncWaitSeconds = 60;
/** How long a sync-mode prediction takes to "run" when no completeAfterMs lifecycle drives it. */
const syncRunMs = 50;
/** The account the fake's token belongs to (GET /v1/account); it owns deployments. */
export const FAKE_REPLICATE_ACCOUNT = {
  type: "organization",
  username: "animateimg-fake",
  name: "AnimateImg (fake)",
  github_url: null,
} as const;
const hardware = [
  { sku: "cpu", name: "CPU" },
  { sku: "gpu-t4", name: "Nvidia T4 GPU" },
  { sku: "gpu-l40s", name: "Nvidia L40S GPU" },
  { sku: "gpu-a100-large", name: "Nvidia A100 (80GB) GPU" },
  { sku: "gpu-h100", name: "Nvidia H100 GPU" },
];
/** How long an uploaded file lives (unverified: Replicate deletes API uploads after about a day). */
const fileLifetimeMs = 24 * 60 * 60 * 1000;

/** "Cancel-After" durations: Go-style "90s", "5m", "1h30m"; Replicate's minimum is 5 seconds. */
export function parseCancelAfter(value: string): number | undefined {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== value) return undefined;
  const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * unitMs[p[2] as keyof typeof unitMs], 0);
  return ms >= 5000 ? ms : undefined;
}

interface StoredFile {
  id: string;
  name: string;
  contentType: string;
  bytes: Buffer;
  metadata: Record<string, unknown>;
  createdAt: number;
}

interface Deployment {
  owner: string;
  name: string;
  releases: Array<{
    number: number;
    model: string;
    version: string;
    createdAt: number;
    hardware: string;
    minInstances: number;
    maxInstances: number;
  }>;
}

export function createReplicateProtocol(
  state: FakeState,
  credentials: { apiToken: string; webhookSecret: string },
): FakeProtocol {
  const versions = new Map<string, string>(knownModels.map((model) => [fakeReplicateVersionId(model), model]));
  const versionOf = (model: string) => {
    const id = fakeReplicateVersionId(model);
    versions.set(id, model);
    return {
      id,
      created_at: "2026-01-01T00:00:00.000Z",
      cog_version: "0.16.9",
      openapi_schema: {
        openapi: "3.0.2",
        info: { title: "Cog", version: "0.1.0" },
        components: { schemas: { Input: { type: "object", properties: {} } } },
      },
    };
  };
  const modelObject = (model: string) => {
    const [owner, name] = model.split("/") as [string, string];
    return {
      url: `https://replicate.com/${model}`,
      owner,
      name,
      description: `Fake ${model}`,
      visibility: "public",
      github_url: null,
      paper_url: null,
      license_url: null,
      run_count: 0,
      cover_image_url: null,
      default_example: null,
      latest_version: versionOf(model),
    };
  };
  const prediction = (job: FakeJob): Record<string, unknown> => {
    const status =
      job.phase === "queued"
        ? "starting"
        : job.phase === "running"
          ? "processing"
          : job.outcome === "succeeded"
            ? "succeeded"
            : job.outcome === "canceled"
              ? "canceled"
              : "failed";
    const url = `${state.origin}/replicate/v1/predictions/${job.id}`;
    return {
      id: job.id,
      model: job.model,
      // Official models hide their version; a version-based create shows the version it ran.
      version: typeof job.extra.version === "string" ? job.extra.version : "hidden",
      input: isRecord(job.input) ? job.input.input : undefined,
      logs: job.phase === "running" ? `progress ${state.progress(job)}%` : "",
      output: status === "succeeded" ? state.outputUrl(job) : null,
      data_removed: false,
      error:
        status === "failed"
          ? "The input or output was flagged as sensitive. Please try again with different inputs. (E005)"
          : null,
      status,
      created_at: new Date(job.createdAt).toISOString(),
      ...(typeof job.extra.startedAt === "number" ? { started_at: new Date(job.extra.startedAt).toISOString() } : {}),
      ...(job.phase === "done"
        ? {
            completed_at: new Date(job.updatedAt).toISOString(),
            metrics: { predict_time: 1.2, total_time: (job.updatedAt - job.createdAt) / 1000 },
          }
        : {}),
      ...(typeof job.extra.deadline === "number" ? { deadline: new Date(job.extra.deadline).toISOString() } : {}),
      ...(typeof job.extra.deployment === "string" ? { deployment: job.extra.deployment } : {}),
      urls: { get: url, cancel: `${url}/cancel`, web: `https://replicate.com/p/${job.id}` },
      source: "api",
      ...(job.callbackUrl
        ? {
            webhook: job.callbackUrl,
            webhook_events_filter: job.extra.eventsFilter ?? ["start", "output", "logs", "completed"],
          }
        : {}),
    };
  };

  const pageSize = 100;
  const list = (query: URLSearchParams): ApiResponse => {
    const bound = (name: string) => {
      const value = query.get(name);
      if (value === null) return undefined;
      const ms = Date.parse(value);
      return Number.isNaN(ms) ? null : ms;
    };
    const after = bound("created_after");
    const before = bound("created_before");
    if (after === null || before === null)
      return problem(400, "Invalid query", "created_after and created_before must be ISO 8601 date-times");
    const source = query.get("source");
    const jobs = [...state.jobs.values()]
      .filter((j) => j.provider === "replicate" && source !== "web")
      .filter((j) => (after === undefined || j.createdAt >= after) && (before === undefined || j.createdAt < before))
      // Newest first: the job map keeps creation order, which also orders jobs made in the same millisecond.
      .reverse();
    const offset = Math.max(
      0,
      Number.parseInt(Buffer.from(query.get("cursor") ?? "", "base64url").toString("utf8") || "0", 10) || 0,
    );
    const pageUrl = (at: number) => {
      const next = new URLSearchParams(query);
      next.set("cursor", Buffer.from(String(at)).toString("base64url"));
      return `${state.origin}/replicate/v1/predictions?${next.toString()}`;
    };
    const results = jobs.slice(offset, offset + pageSize).map((job) => {
      const { logs: _logs, ...summary } = prediction(job);
      return summary;
    });
    return {
      status: 200,
      body: {
        next: offset + pageSize < jobs.length ? pageUrl(offset + pageSize) : null,
        previous: offset > 0 ? pageUrl(Math.max(0, offset - pageSize)) : null,
        results,
      },
    };
  };

  const sendEvent = (job: FakeJob, event: string, terminal = job.phase === "done") => {
    const filter = Array.isArray(job.extra.eventsFilter) ? (job.extra.eventsFilter as string[]) : allEvents;
    if (!filter.includes(event)) return;
    // One message id per event: a repeated delivery keeps it, as Standard Webhooks retries do.
    const messageId = `msg_${randomBytes(12).toString("hex")}`;
    const body = JSON.stringify(prediction(job));
    state.webhook(job, terminal, () => ({
      headers: standardWebhookHeaders(credentials.webhookSecret, messageId, nowSeconds(), body),
      body,
    }));
  };
  state.listeners.set("replicate", (job, previous) => {
    if (previous === "queued" && job.extra.startedAt === undefined) job.extra.startedAt = Date.now();
    // A video model's output appears once, as it finishes: one "output" event, then "completed".
    if (job.phase === "done" && job.outcome === "succeeded") sendEvent(job, "output", false);
    sendEvent(job, job.phase === "done" ? "completed" : job.phase === "running" ? "logs" : "start");
  });

  const createPrediction = async (
    request: ProtocolRequest,
    model: string,
    version: string | undefined,
    deployment?: string,
  ): Promise<ApiResponse> => {
    const body = request.json;
    if (!isRecord(body) || !isRecord(body.input)) return problem(422, "Input validation failed", "input is required");
    if (body.stream !== undefined && typeof body.stream !== "boolean")
      return problem(422, "Input validation failed", "stream must be a boolean");
    const cancelAfterHeader = request.headers["cancel-after"];
    const cancelAfterMs =
      typeof cancelAfterHeader === "string" ? parseCancelAfter(cancelAfterHeader.trim()) : undefined;
    if (typeof cancelAfterHeader === "string" && cancelAfterMs === undefined)
      return problem(
        400,
        "Invalid Cancel-After header",
        "Cancel-After must be a duration such as 30s, 5m or 1h30m, at least 5 seconds",
      );
    if (body.webhook !== undefined && (typeof body.webhook !== "string" || !/^https?:\/\//.test(body.webhook)))
      return problem(422, "Invalid webhook", "webhook must be an HTTP(S) URL");
    const filter = body.webhook_events_filter;
    if (
      filter !== undefined &&
      (!Array.isArray(filter) || filter.some((event) => typeof event !== "string" || !allEvents.includes(event)))
    )
      return problem(
        422,
        "Input validation failed",
        `webhook_events_filter items must be one of ${allEvents.join(", ")}`,
      );
    const job = state.createJob("replicate", {
      id: randomBytes(13)
        .toString("base64url")
        .toLowerCase()
        .replace(/[^a-z0-9]/g, "x"),
      model,
      kind: "prediction",
      input: body,
      callbackUrl: typeof body.webhook === "string" ? body.webhook : undefined,
      flags: state.takeJobFaults("replicate", request.markers),
    });
    if (Array.isArray(filter)) job.extra.eventsFilter = filter;
    if (version) job.extra.version = version;
    if (deployment) job.extra.deployment = deployment;
    if (cancelAfterMs !== undefined) job.extra.deadline = job.createdAt + cancelAfterMs;
    // "start" is sent as soon as the prediction exists.
    sendEvent(job, "start");
    const prefer = /^wait(?:=(\d+))?$/.exec(String(request.headers.prefer ?? "").trim());
    if (prefer) {
      // Sync mode: the request is held while the model runs, up to the asked-for seconds.
      const seconds = Math.min(maxSyncWaitSeconds, Math.max(1, Number(prefer[1] ?? maxSyncWaitSeconds)));
      if (state.lifecycle("replicate").completeAfterMs === undefined) state.later(syncRunMs, () => state.finish(job));
      const deadline = Date.now() + seconds * 1000;
      while (job.phase !== "done" && !state.stopped && Date.now() < deadline)
        await state.nextPhase(job, deadline - Date.now());
    }
    return { status: 201, body: prediction(job) };
  };

  // Files: "Create a file" takes a multipart form (content, with its filename and type; metadata
  // as JSON); the file object's urls.get is what the official client passes as a model input.
  const files = new Map<string, StoredFile>();
  const fileObject = (file: StoredFile) => ({
    id: file.id,
    name: file.name,
    content_type: file.contentType,
    size: file.bytes.byteLength,
    etag: createHash("md5").update(file.bytes).digest("hex"),
    checksums: {
      sha256: createHash("sha256").update(file.bytes).digest("hex"),
      md5: createHash("md5").update(file.bytes).digest("hex"),
    },
    metadata: file.metadata,
    created_at: new Date(file.createdAt).toISOString(),
    expires_at: new Date(file.createdAt + fileLifetimeMs).toISOString(),
    urls: { get: `${state.origin}/replicate/v1/files/${file.id}` },
  });
  const createFile = async (request: ProtocolRequest): Promise<ApiResponse> => {
    const contentType = String(request.headers["content-type"] ?? "");
    if (!contentType.startsWith("multipart/form-data"))
      return problem(415, "Unsupported media type", "Send the file as multipart/form-data with a `content` part");
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(request.bodyBytes), {
        headers: { "content-type": contentType },
      }).formData();
    } catch {
      return problem(400, "Invalid form", "The multipart body could not be read");
    }
    const content = form.get("content");
    if (!(content instanceof Blob)) return problem(422, "Input validation failed", "content is required");
    const filename = content instanceof File ? content.name : "";
    if (!filename || Buffer.byteLength(filename) > 255)
      return problem(422, "Input validation failed", "filename is required and at most 255 bytes");
    const rawMetadata = form.get("metadata");
    let metadata: unknown = {};
    try {
      if (rawMetadata !== null)
        metadata = JSON.parse(typeof rawMetadata === "string" ? rawMetadata : await rawMetadata.text());
    } catch {
      return problem(422, "Input validation failed", "metadata must be valid JSON");
    }
    if (!isRecord(metadata)) return problem(422, "Input validation failed", "metadata must be a JSON object");
    const file: StoredFile = {
      id: randomBytes(13)
        .toString("base64url")
        .toLowerCase()
        .replace(/[^a-z0-9]/g, "x"),
      name: filename,
      contentType: content.type || "application/octet-stream",
      bytes: Buffer.from(await content.arrayBuffer()),
      metadata,
      createdAt: Date.now(),
    };
    files.set(file.id, file);
    return { status: 201, body: fileObject(file) };
  };
  const handleFiles = (request: ProtocolRequest): Promise<ApiResponse> | ApiResponse | undefined => {
    if (request.path === "/v1/files") {
      if (request.method === "POST") return createFile(request);
      if (request.method === "GET")
        return {
          status: 200,
          body: { next: null, previous: null, results: [...files.values()].reverse().map(fileObject) },
        };
      return undefined;
    }
    const match = /^\/v1\/files\/([^/]+)(\/download)?$/.exec(request.path);
    if (!match) return undefined;
    const file = files.get(decodeURIComponent(match[1]!));
    if (!file || Date.now() > file.createdAt + fileLifetimeMs)
      return problem(404, "Not found", "The requested resource could not be found.");
    if (match[2] && request.method === "GET")
      return { status: 200, raw: true, body: file.bytes, headers: { "content-type": file.contentType } };
    if (!match[2] && request.method === "GET") return { status: 200, body: fileObject(file) };
    if (!match[2] && request.method === "DELETE") {
      files.delete(file.id);
      return { status: 204, body: undefined };
    }
    return undefined;
  };

  // Deployments: owned by the token's account; a release per create/update.
  const deployments = new Map<string, Deployment>();
  const deploymentObject = (deployment: Deployment) => {
    const release = deployment.releases.at(-1)!;
    return {
      owner: deployment.owner,
      name: deployment.name,
      current_release: {
        number: release.number,
        model: release.model,
        version: release.version,
        created_at: new Date(release.createdAt).toISOString(),
        created_by: FAKE_REPLICATE_ACCOUNT,
        configuration: {
          hardware: release.hardware,
          min_instances: release.minInstances,
          max_instances: release.maxInstances,
        },
      },
    };
  };
  const releaseFrom = (
    body: Record<string, unknown>,
    previous: Deployment["releases"][number] | undefined,
  ): Deployment["releases"][number] | string => {
    const model = previous?.model ?? body.model;
    const version = body.version ?? previous?.version;
    const hardwareSku = body.hardware ?? previous?.hardware;
    const minInstances = body.min_instances ?? previous?.minInstances;
    const maxInstances = body.max_instances ?? previous?.maxInstances;
    if (typeof model !== "string" || !/^[^/]+\/[^/]+$/.test(model)) return "model must be owner/name";
    if (typeof version !== "string" || versions.get(version) !== model) return "version must be a version of the model";
    if (typeof hardwareSku !== "string" || !hardware.some((h) => h.sku === hardwareSku))
      return "hardware must be a SKU from GET /v1/hardware";
    if (
      typeof minInstances !== "number" ||
      typeof maxInstances !== "number" ||
      !Number.isInteger(minInstances) ||
      !Number.isInteger(maxInstances) ||
      minInstances < 0 ||
      maxInstances < Math.max(1, minInstances)
    )
      return "min_instances and max_instances must be integers with 0 ≤ min ≤ max, max ≥ 1";
    return {
      number: (previous?.number ?? 0) + 1,
      model,
      version,
      createdAt: Date.now(),
      hardware: hardwareSku,
      minInstances,
      maxInstances,
    };
  };
  const handleDeployments = (request: ProtocolRequest): Promise<ApiResponse> | ApiResponse | undefined => {
    const body = isRecord(request.json) ? request.json : {};
    if (request.path === "/v1/deployments") {
      if (request.method === "GET")
        return {
          status: 200,
          body: { next: null, previous: null, results: [...deployments.values()].reverse().map(deploymentObject) },
        };
      if (request.method !== "POST") return undefined;
      if (typeof body.name !== "string" || !/^[a-z0-9][a-z0-9-_.]*$/.test(body.name))
        return problem(422, "Input validation failed", "name is required (lowercase letters, digits, dashes)");
      const key = `${FAKE_REPLICATE_ACCOUNT.username}/${body.name}`;
      if (deployments.has(key)) return problem(409, "Conflict", `A deployment named ${body.name} already exists`);
      const release = releaseFrom(body, undefined);
      if (typeof release === "string") return problem(422, "Input validation failed", release);
      const deployment: Deployment = { owner: FAKE_REPLICATE_ACCOUNT.username, name: body.name, releases: [release] };
      deployments.set(key, deployment);
      return { status: 201, body: deploymentObject(deployment) };
    }
    const match = /^\/v1\/deployments\/([^/]+)\/([^/]+)(\/predictions)?$/.exec(request.path);
    if (!match) return undefined;
    const key = `${decodeURIComponent(match[1]!)}/${decodeURIComponent(match[2]!)}`;
    const deployment = deployments.get(key);
    if (!deployment) return problem(404, "Not found", "The requested resource could not be found.");
    const release = deployment.releases.at(-1)!;
    if (match[3])
      return request.method === "POST" ? createPrediction(request, release.model, release.version, key) : undefined;
    if (request.method === "GET") return { status: 200, body: deploymentObject(deployment) };
    if (request.method === "PATCH") {
      const next = releaseFrom(body, release);
      if (typeof next === "string") return problem(422, "Input validation failed", next);
      deployment.releases.push(next);
      return { status: 200, body: deploymentObject(deployment) };
    }
    if (request.method === "DELETE") {
      deployments.delete(key);
      return { status: 204, body: undefined };
    }
    return undefined;
  };

  return {
    id: "replicate",
    isSubmit: (method, path) => method === "POST" && path.endsWith("/predictions"),
    authorize(headers) {
      return bearer(headers) === credentials.apiToken
        ? undefined
        : problem(401, "Unauthenticated", "You did not pass a valid authentication token");
    },
    faultResponse(fault: Fault): ApiResponse {
      switch (fault.kind) {
        case "rate_limit":
          return problem(429, "Request was throttled", "Request was throttled. Expected available in 2 seconds.", {
            "retry-after": String(fault.retryAfterSeconds ?? 2),
          });
        case "invalid_input":
          return problem(422, "Input validation failed", "input.duration: Must be less than or equal to 15");
        case "content_policy":
          return problem(422, "Input flagged", "The input was flagged as sensitive (E005)");
        case "quota":
          return problem(
            402,
            "Payment required",
            "You have insufficient credit to run this model. Go to https://replicate.com/account/billing to purchase credit.",
          );
        default:
          return problem(500, "Internal server error", "Something went wrong on our end.");
      }
    },
    handle(request) {
      if (request.method === "GET" && request.path === "/v1/predictions") return list(request.query);
      if (request.path === "/v1/files" || request.path.startsWith("/v1/files/")) return handleFiles(request);
      if (request.path === "/v1/deployments" || request.path.startsWith("/v1/deployments/"))
        return handleDeployments(request);
      if (request.method === "GET" && request.path === "/v1/account")
        return { status: 200, body: FAKE_REPLICATE_ACCOUNT };
      if (request.method === "GET" && request.path === "/v1/hardware") return { status: 200, body: hardware };
      // "Get the signing secret for the default webhook": what receivers verify with.
      if (request.method === "GET" && request.path === "/v1/webhooks/default/secret")
        return { status: 200, body: { key: credentials.webhookSecret } };
      const create = /^\/v1\/models\/([^/]+\/[^/]+)\/predictions$/.exec(request.path);
      if (create && request.method === "POST") return createPrediction(request, create[1]!, undefined);
      if (request.method === "POST" && request.path === "/v1/predictions") {
        const version = isRecord(request.json) ? request.json.version : undefined;
        if (typeof version !== "string") return problem(422, "Input validation failed", "version is required");
        // "{owner}/{name}:{id}", "{owner}/{name}" (its latest version) or a bare version id.
        const named = /^([^/:]+\/[^/:]+)(?::([0-9a-f]{64}))?$/.exec(version);
        const versionId = named ? named[2] : /^[0-9a-f]{64}$/.test(version) ? version : undefined;
        const model = named ? named[1]! : versionId ? versions.get(versionId) : undefined;
        if (!model || (versionId !== undefined && versions.get(versionId) !== model))
          return problem(
            422,
            "Invalid version or not permitted",
            "The specified version does not exist (or perhaps you don't have permission to use it?)",
          );
        return createPrediction(request, model, versionId ?? fakeReplicateVersionId(model));
      }
      const modelPath = /^\/v1\/models\/([^/]+\/[^/]+)(\/versions)?$/.exec(request.path);
      if (modelPath && request.method === "GET") {
        const model = modelObject(modelPath[1]!);
        return {
          status: 200,
          body: modelPath[2] ? { next: null, previous: null, results: [model.latest_version] } : model,
        };
      }
      const get = /^\/v1\/predictions\/([^/]+)(\/cancel)?$/.exec(request.path);
      if (get) {
        const job = state.getJob("replicate", decodeURIComponent(get[1]!));
        if (!job) return problem(404, "Not found", "The requested resource could not be found.");
        if (get[2] && request.method === "POST") {
          state.cancel(job);
          return { status: 200, body: prediction(job) };
        }
        if (!get[2] && request.method === "GET") {
          state.poll(job);
          return { status: 200, body: prediction(job) };
        }
      }
      return undefined;
    },
  };
}
