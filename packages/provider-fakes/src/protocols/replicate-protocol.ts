// Fake Replicate predictions API: Bearer token, RFC 7807 errors, starting → processing →
// succeeded | failed | canceled, webhooks filtered by webhook_events_filter and signed as
// Standard Webhooks (webhook-id stays the same when a delivery is repeated). "List predictions"
// (GET /v1/predictions): newest first, 100 a page, `next`/`previous` as full URLs with a
// `cursor`, `created_after`/`created_before` filters; reading the list advances no job.
import { randomBytes } from "node:crypto";
import { bearer, isRecord, nowSeconds, type ApiResponse, type FakeJob, type FakeProtocol, type FakeState, type Fault } from "../fake-core";
import { standardWebhookHeaders } from "../webhook-signing";

function problem(status: number, title: string, detail: string, headers?: Record<string, string>): ApiResponse {
  return { status, headers, body: { type: `https://replicate.com/docs/reference/http#${status}`, title, status, detail } };
}

export function createReplicateProtocol(state: FakeState, credentials: { apiToken: string; webhookSecret: string }): FakeProtocol {
  const prediction = (job: FakeJob): Record<string, unknown> => {
    const status =
      job.phase === "queued" ? "starting" : job.phase === "running" ? "processing" : job.outcome === "succeeded" ? "succeeded" : job.outcome === "canceled" ? "canceled" : "failed";
    const url = `${state.origin}/replicate/v1/predictions/${job.id}`;
    return {
      id: job.id,
      model: job.model,
      version: "hidden",
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

  state.listeners.set("replicate", (job) => {
    const filter = Array.isArray(job.extra.eventsFilter) ? (job.extra.eventsFilter as string[]) : ["start", "output", "logs", "completed"];
    const event = job.phase === "done" ? "completed" : job.phase === "running" ? "logs" : "start";
    if (!filter.includes(event)) return;
    // One message id per event: a repeated delivery keeps it, as Standard Webhooks retries do.
    const messageId = `msg_${randomBytes(12).toString("hex")}`;
    const body = JSON.stringify(prediction(job));
    state.webhook(job, job.phase === "done", () => ({ headers: standardWebhookHeaders(credentials.webhookSecret, messageId, nowSeconds(), body), body }));
  });

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
      const create = /^\/v1\/models\/([^/]+\/[^/]+)\/predictions$/.exec(request.path);
      if (create && request.method === "POST") {
        const body = request.json;
        if (!isRecord(body) || !isRecord(body.input)) return problem(422, "Input validation failed", "input is required");
        const job = state.createJob("replicate", {
          id: randomBytes(13).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "x"),
          model: create[1]!,
          kind: "prediction",
          input: body,
          callbackUrl: typeof body.webhook === "string" ? body.webhook : undefined,
          flags: state.takeJobFaults("replicate", request.markers),
        });
        if (Array.isArray(body.webhook_events_filter)) job.extra.eventsFilter = body.webhook_events_filter;
        return { status: 201, body: prediction(job) };
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
