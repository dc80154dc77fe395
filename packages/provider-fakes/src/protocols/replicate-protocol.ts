// Fake Replicate predictions API: Bearer token, RFC 7807 errors, starting → processing →
// succeeded | failed | canceled, webhooks filtered by webhook_events_filter and signed as
// Standard Webhooks (webhook-id stays the same when a delivery is repeated). "List predictions"
// (GET /v1/predictions): newest first, 100 a page, `next`/`previous` as full URLs with a
// `cursor`, `created_after`/`created_before` filters; reading the list advances no job.
// Create by model (POST /v1/models/{owner}/{name}/predictions) or by version (POST
// /v1/predictions with `version` as "{id}", "{owner}/{name}" or "{owner}/{name}:{id}"), sync
// mode (`Prefer: wait[=n]`), the model and its versions (GET /v1/models/{owner}/{name}[/versions])
// and a `start` webhook at create, as https://replicate.com/docs/reference/http describes.
import { createHash, randomBytes } from "node:crypto";
import { bearer, isRecord, nowSeconds, type ApiResponse, type FakeJob, type FakeProtocol, type FakeState, type Fault, type ProtocolRequest } from "../fake-core";
import { standardWebhookHeaders } from "../webhook-signing";

function problem(status: number, title: string, detail: string, headers?: Record<string, string>): ApiResponse {
  return { status, headers, body: { type: `https://replicate.com/docs/reference/http#${status}`, title, status, detail } };
}

/** Every model a fake answers for has one version whose id is derived from its name. */
export const fakeReplicateVersionId = (model: string) => createHash("sha256").update(`fake-replicate-version:${model}`).digest("hex");

// The models PROVIDERS.md names; any other owner/name is served too (the fake knows no catalogue).
const knownModels = ["kwaivgi/kling-v3-video", "google/veo-3.1", "bytedance/seedance-2.0", "kwaivgi/kling-v2.6-motion-control"];
const allEvents = ["start", "output", "logs", "completed"];
/** The longest `Prefer: wait=n` Replicate honours (its docs: 1–60 s). */
const maxSyncWaitSeconds = 60;
/** How long a sync-mode prediction takes to "run" when no completeAfterMs lifecycle drives it. */
const syncRunMs = 50;

export function createReplicateProtocol(state: FakeState, credentials: { apiToken: string; webhookSecret: string }): FakeProtocol {
  const versions = new Map<string, string>(knownModels.map((model) => [fakeReplicateVersionId(model), model]));
  const versionOf = (model: string) => {
    const id = fakeReplicateVersionId(model);
    versions.set(id, model);
    return {
      id,
      created_at: "2026-01-01T00:00:00.000Z",
      cog_version: "0.16.9",
      openapi_schema: { openapi: "3.0.2", info: { title: "Cog", version: "0.1.0" }, components: { schemas: { Input: { type: "object", properties: {} } } } },
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
      job.phase === "queued" ? "starting" : job.phase === "running" ? "processing" : job.outcome === "succeeded" ? "succeeded" : job.outcome === "canceled" ? "canceled" : "failed";
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
      error: status === "failed" ? "The input or output was flagged as sensitive. Please try again with different inputs. (E005)" : null,
      status,
      created_at: new Date(job.createdAt).toISOString(),
      ...(job.phase === "done" ? { completed_at: new Date(job.updatedAt).toISOString(), metrics: { predict_time: 1.2 } } : {}),
      urls: { get: url, cancel: `${url}/cancel`, web: `https://replicate.com/p/${job.id}` },
      source: "api",
      ...(job.callbackUrl ? { webhook: job.callbackUrl, webhook_events_filter: job.extra.eventsFilter ?? ["start", "output", "logs", "completed"] } : {}),
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
    if (after === null || before === null) return problem(400, "Invalid query", "created_after and created_before must be ISO 8601 date-times");
    const source = query.get("source");
    const jobs = [...state.jobs.values()]
      .filter((j) => j.provider === "replicate" && source !== "web")
      .filter((j) => (after === undefined || j.createdAt >= after) && (before === undefined || j.createdAt < before))
      // Newest first: the job map keeps creation order, which also orders jobs made in the same millisecond.
      .reverse();
    const offset = Math.max(0, Number.parseInt(Buffer.from(query.get("cursor") ?? "", "base64url").toString("utf8") || "0", 10) || 0);
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

  const sendEvent = (job: FakeJob, event: string) => {
    const filter = Array.isArray(job.extra.eventsFilter) ? (job.extra.eventsFilter as string[]) : allEvents;
    if (!filter.includes(event)) return;
    // One message id per event: a repeated delivery keeps it, as Standard Webhooks retries do.
    const messageId = `msg_${randomBytes(12).toString("hex")}`;
    const body = JSON.stringify(prediction(job));
    state.webhook(job, job.phase === "done", () => ({ headers: standardWebhookHeaders(credentials.webhookSecret, messageId, nowSeconds(), body), body }));
  };
  state.listeners.set("replicate", (job) => sendEvent(job, job.phase === "done" ? "completed" : job.phase === "running" ? "logs" : "start"));

  const createPrediction = async (request: ProtocolRequest, model: string, version: string | undefined): Promise<ApiResponse> => {
    const body = request.json;
    if (!isRecord(body) || !isRecord(body.input)) return problem(422, "Input validation failed", "input is required");
    if (body.webhook !== undefined && (typeof body.webhook !== "string" || !/^https?:\/\//.test(body.webhook)))
      return problem(422, "Invalid webhook", "webhook must be an HTTP(S) URL");
    const filter = body.webhook_events_filter;
    if (filter !== undefined && (!Array.isArray(filter) || filter.some((event) => typeof event !== "string" || !allEvents.includes(event))))
      return problem(422, "Input validation failed", `webhook_events_filter items must be one of ${allEvents.join(", ")}`);
    const job = state.createJob("replicate", {
      id: randomBytes(13).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "x"),
      model,
      kind: "prediction",
      input: body,
      callbackUrl: typeof body.webhook === "string" ? body.webhook : undefined,
      flags: state.takeJobFaults("replicate", request.markers),
    });
    if (Array.isArray(filter)) job.extra.eventsFilter = filter;
    if (version) job.extra.version = version;
    // "start" is sent as soon as the prediction exists.
    sendEvent(job, "start");
    const prefer = /^wait(?:=(\d+))?$/.exec(String(request.headers.prefer ?? "").trim());
    if (prefer) {
      // Sync mode: the request is held while the model runs, up to the asked-for seconds.
      const seconds = Math.min(maxSyncWaitSeconds, Math.max(1, Number(prefer[1] ?? maxSyncWaitSeconds)));
      if (state.lifecycle("replicate").completeAfterMs === undefined) state.later(syncRunMs, () => state.finish(job));
      const deadline = Date.now() + seconds * 1000;
      while (job.phase !== "done" && !state.stopped && Date.now() < deadline) await state.nextPhase(job, deadline - Date.now());
    }
    return { status: 201, body: prediction(job) };
  };

  return {
    id: "replicate",
    isSubmit: (method, path) => method === "POST" && path.endsWith("/predictions"),
    authorize(headers) {
      return bearer(headers) === credentials.apiToken ? undefined : problem(401, "Unauthenticated", "You did not pass a valid authentication token");
    },
    faultResponse(fault: Fault): ApiResponse {
      switch (fault.kind) {
        case "rate_limit":
          return problem(429, "Request was throttled", "Request was throttled. Expected available in 2 seconds.", { "retry-after": String(fault.retryAfterSeconds ?? 2) });
        case "invalid_input":
          return problem(422, "Input validation failed", "input.duration: Must be less than or equal to 15");
        case "content_policy":
          return problem(422, "Input flagged", "The input was flagged as sensitive (E005)");
        case "quota":
          return problem(402, "Payment required", "You have insufficient credit to run this model. Go to https://replicate.com/account/billing to purchase credit.");
        default:
          return problem(500, "Internal server error", "Something went wrong on our end.");
      }
    },
    handle(request) {
      if (request.method === "GET" && request.path === "/v1/predictions") return list(request.query);
      // "Get the signing secret for the default webhook": what receivers verify with.
      if (request.method === "GET" && request.path === "/v1/webhooks/default/secret") return { status: 200, body: { key: credentials.webhookSecret } };
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
          return problem(422, "Invalid version or not permitted", "The specified version does not exist (or perhaps you don't have permission to use it?)");
        return createPrediction(request, model, versionId ?? fakeReplicateVersionId(model));
      }
      const modelPath = /^\/v1\/models\/([^/]+\/[^/]+)(\/versions)?$/.exec(request.path);
      if (modelPath && request.method === "GET") {
        const model = modelObject(modelPath[1]!);
        return { status: 200, body: modelPath[2] ? { next: null, previous: null, results: [model.latest_version] } : model };
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
