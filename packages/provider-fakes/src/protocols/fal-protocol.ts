// Fake fal queue: `Authorization: Key …`, submit to an endpoint id, status/result/cancel under
// the app id (owner/app), IN_QUEUE (queue_position) → IN_PROGRESS (logs) → COMPLETED, result
// {video:{url}} or a 422 content_policy_violation, terminal webhook signed with ED25519 whose
// public key is served at /fal/.well-known/jwks.json. Every answer about a request carries
// `x-fal-request-id` (the official client reads the result's id from it); logs only with
// `?logs=1`; `GET …/status/stream` streams the status as server-sent events until COMPLETED
// (what `fal.subscribe(…, {mode: "streaming"})` reads), per https://docs.fal.ai/model-apis/model-endpoints/queue.
// The Platform API's `DELETE /v1/models/requests/{id}/payloads` (fal.ai/docs/platform-apis/v1/
// models/requests/payloads) needs a key of ADMIN scope (`adminApiKey` when the fake has one),
// drops the job's input and its output file (the output URL answers 404 from then on) and
// answers `{cdn_delete_results: [{link, exception: null}]}`; again for the same request, an empty
// list; an unknown request, 404.
import { randomUUID } from "node:crypto";
import { isRecord, nowSeconds, type ApiResponse, type FakeJob, type FakeProtocol, type FakeState, type Fault, type ProtocolRequest } from "../fake-core";
import { falWebhookHeaders, type FalSigningKey } from "../webhook-signing";

const detail = (status: number, message: string, headers?: Record<string, string>): ApiResponse => ({ status, headers, body: { detail: message } });

export const FAKE_FAL_USER_ID = "fake-fal-account";
/** Gap between two status events on a stream: each event is one status read of the job. */
const STREAM_EVENT_GAP_MS = 20;

const PAYLOADS_PATH = /^\/v1\/models\/requests\/([^/]+)\/payloads$/;

export function createFalProtocol(state: FakeState, credentials: { apiKey: string; adminApiKey?: string }, signingKey: FalSigningKey): FakeProtocol {
  const appOf = (endpoint: string) => endpoint.split("/").slice(0, 2).join("/");
  const requestUrl = (job: FakeJob) => `${state.origin}/fal/${appOf(job.model)}/requests/${job.id}`;
  const moderationDetail = [{ loc: ["body", "prompt"], msg: "The content could not be processed because it was flagged by a content checker.", type: "content_policy_violation" }];
  const output = (job: FakeJob) => ({
    video: { url: state.outputUrl(job), content_type: "video/mp4", file_name: "output.mp4", file_size: 0 },
  });

  /** One status read: advances the job like a poll does, and answers what fal's status endpoint answers. */
  const statusOf = (job: FakeJob, withLogs: boolean): { status: number; body: Record<string, unknown> } => {
    state.poll(job);
    const logs = (entries: Array<Record<string, unknown>>) => (withLogs ? { logs: entries } : { logs: null });
    // The fields every status carries (the client's BaseQueueStatus).
    const base = { request_id: job.id, response_url: requestUrl(job), status_url: `${requestUrl(job)}/status`, cancel_url: `${requestUrl(job)}/cancel` };
    if (job.phase === "queued") return { status: 202, body: { status: "IN_QUEUE", queue_position: state.queuePosition(job) - 1, ...base } };
    if (job.phase === "running")
      return {
        status: 202,
        body: { status: "IN_PROGRESS", ...base, ...logs([{ message: `progress ${state.progress(job)}%`, level: "INFO", source: "USER", timestamp: new Date().toISOString() }]) },
      };
    return { status: 200, body: { status: "COMPLETED", ...base, ...logs([]), metrics: { inference_time: 1.2 } } };
  };

  const statusStream = (job: FakeJob, request: ProtocolRequest): ApiResponse => ({
    status: 200,
    headers: { "x-fal-request-id": job.id },
    body: undefined,
    async stream(res) {
      const withLogs = request.query.get("logs") === "1";
      for (;;) {
        const answer = statusOf(job, withLogs);
        res.write(`data: ${JSON.stringify(answer.body)}\n\n`);
        if (answer.body.status === "COMPLETED" || state.stopped || res.destroyed) break;
        await state.nextPhase(job, STREAM_EVENT_GAP_MS);
      }
      res.end();
    },
  });

  state.listeners.set("fal", (job) => {
    if (job.phase !== "done" || job.outcome === "canceled") return;
    state.webhook(job, true, () => {
      const body = JSON.stringify(
        job.outcome === "succeeded"
          ? { request_id: job.id, gateway_request_id: job.id, status: "OK", payload: output(job) }
          : { request_id: job.id, gateway_request_id: job.id, status: "ERROR", error: "Invalid status code: 422", payload: { detail: moderationDetail } },
      );
      return { headers: falWebhookHeaders(signingKey, job.id, FAKE_FAL_USER_ID, nowSeconds(), body), body };
    });
  });

  const deletePayloads = (id: string): ApiResponse => {
    const job = state.getJob("fal", id);
    if (!job) return { status: 404, body: { detail: "Request not found" } };
    if (job.extra.payloadsDeleted === true) return { status: 200, body: { cdn_delete_results: [] } };
    job.input = null;
    job.extra.payloadsDeleted = true;
    const hadOutput = state.outputs.delete(job.outputId);
    return { status: 200, body: { cdn_delete_results: hadOutput ? [{ link: state.outputUrl(job), exception: null }] : [] } };
  };

  const handleRequest = (request: ProtocolRequest, app: string, id: string, suffix: string | undefined): ApiResponse | undefined => {
    const job = state.getJob("fal", id);
    if (!job || appOf(job.model) !== app) return { status: 404, body: { detail: "Request not found", status: "NOT_FOUND" } };
    if (suffix === "/status" && request.method === "GET") return statusOf(job, request.query.get("logs") === "1");
    if (suffix === "/status/stream" && request.method === "GET") return statusStream(job, request);
    if (suffix === "/cancel" && request.method === "PUT") {
      if (job.phase === "done") return { status: 400, body: { status: "ALREADY_COMPLETED" } };
      state.cancel(job);
      return { status: 202, body: { status: "CANCELLATION_REQUESTED" } };
    }
    if (suffix === undefined && request.method === "GET") {
      if (job.extra.payloadsDeleted === true) return { status: 404, body: { detail: "Request not found", status: "NOT_FOUND" } };
      if (job.phase !== "done") return detail(400, "Request is still in progress");
      if (job.outcome === "canceled") return detail(400, "Request was cancelled");
      if (job.outcome === "moderation") return { status: 422, body: { detail: moderationDetail } };
      return { status: 200, body: output(job) };
    }
    return undefined;
  };

  return {
    id: "fal",
    isSubmit: (method, path) => method === "POST" && !path.includes("/requests/"),
    authorize(headers, method, path) {
      if (method === "GET" && path === "/.well-known/jwks.json") return undefined;
      if (PAYLOADS_PATH.test(path) && credentials.adminApiKey !== undefined) {
        if (headers.authorization === `Key ${credentials.adminApiKey}`) return undefined;
        return headers.authorization === `Key ${credentials.apiKey}` ? detail(403, "This operation requires an API key with ADMIN scope") : detail(401, "No user found for Key ID and Secret");
      }
      return headers.authorization === `Key ${credentials.apiKey}` ? undefined : detail(401, "No user found for Key ID and Secret");
    },
    faultResponse(fault: Fault): ApiResponse {
      switch (fault.kind) {
        case "rate_limit":
          return detail(429, "Too many concurrent requests", { "retry-after": String(fault.retryAfterSeconds ?? 2) });
        case "invalid_input":
          return { status: 422, body: { detail: [{ loc: ["body", "start_image_url"], msg: "field required", type: "value_error.missing" }] } };
        case "content_policy":
          return { status: 422, body: { detail: moderationDetail } };
        case "quota":
          return detail(403, "User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.");
        default:
          return detail(503, "Runner scheduling failure", { "x-fal-error-type": "runner_scheduling_failure" });
      }
    },
    handle(request) {
      if (request.method === "GET" && request.path === "/.well-known/jwks.json") return { status: 200, body: { keys: [signingKey.publicJwk] } };
      const payloads = PAYLOADS_PATH.exec(request.path);
      if (payloads) return request.method === "DELETE" ? deletePayloads(decodeURIComponent(payloads[1]!)) : undefined;
      const match = /^\/([^/]+\/[^/]+)\/requests\/([^/]+)(\/status\/stream|\/status|\/cancel)?$/.exec(request.path);
      if (match) {
        const answer = handleRequest(request, match[1]!, decodeURIComponent(match[2]!), match[3]);
        return answer && { ...answer, headers: { "x-fal-request-id": decodeURIComponent(match[2]!), ...answer.headers } };
      }
      if (request.method === "POST") {
        const endpoint = request.path.replace(/^\/+/, "");
        if (endpoint.split("/").length < 2) return undefined;
        if (!isRecord(request.json)) return { status: 422, body: { detail: [{ loc: ["body"], msg: "body must be an object", type: "type_error" }] } };
        const job = state.createJob("fal", {
          id: randomUUID(),
          model: endpoint,
          kind: "queue",
          input: request.json,
          callbackUrl: request.query.get("fal_webhook") ?? undefined,
          flags: state.takeJobFaults("fal", request.markers),
        });
        const url = requestUrl(job);
        return {
          status: 200,
          headers: { "x-fal-request-id": job.id },
          body: { request_id: job.id, gateway_request_id: job.id, response_url: url, status_url: `${url}/status`, cancel_url: `${url}/cancel`, queue_position: 0 },
        };
      }
      return undefined;
    },
  };
}
