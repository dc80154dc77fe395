// Fake fal queue: `Authorization: Key …`, submit to an endpoint id, status/result/cancel under
// the app id (owner/app), IN_QUEUE (queue_position) → IN_PROGRESS (logs) → COMPLETED, result
// {video:{url}} or a 422 content_policy_violation, terminal webhook signed with ED25519 whose
// public key is served at /fal/.well-known/jwks.json. Every answer about a request carries
// `x-fal-request-id` (the official client reads the result's id from it); logs only with
// `?logs=1`; `GET …/status/stream` streams the status as server-sent events until COMPLETED
// (what `fal.subscribe(…, {mode: "streaming"})` reads), per https://docs.fal.ai/model-apis/model-endpoints/queue.
// The other hosts the official client talks to live under dot-prefixed paths (no owner name
// starts with a dot): `/fal/.run/{endpoint}` is https://fal.run (synchronous `fal.run`: the
// request is held until the model finished and answers its output; a `…/stream` path is a 404,
// as no video endpoint has a /stream route, https://docs.fal.ai/documentation/model-apis/inference/streaming),
// `/fal/.rest/storage/upload/initiate` is https://rest.fal.ai (`fal.storage.upload`: initiate
// → `{upload_url, file_url}`, PUT the bytes to the signed upload_url, https://docs.fal.ai/documentation/model-apis/fal-cdn),
// and `/fal/.cdn/…` stands in for the CDN (v3.fal.media), public like it.
import { createHmac, randomBytes, randomUUID } from "node:crypto";
// The Platform API's `DELETE /v1/models/requests/{id}/payloads` (fal.ai/docs/platform-apis/v1/
// models/requests/payloads) needs a key of ADMIN scope (`adminApiKey` when the fake has one),
// drops the job's input and its output file (the output URL answers 404 from then on) and
// answers `{cdn_delete_results: [{link, exception: null}]}`; again for the same request, an empty
// list; an unknown request, 404.

import {
  isRecord,
  nowSeconds,
  type ApiResponse,
  type FakeJob,
  type FakeProtocol,
  type FakeState,
  type Fault,
  type ProtocolRequest,
} from "../fake-core";
import { falWebhookHeaders, type FalSigningKey } from "../webhook-signing";

const detail = (status: number, message: string, headers?: Record<string, string>): ApiResponse => ({
  status,
  headers,
  body: { detail: message },
});

export const FAKE_FAL_USER_ID = "fake-fal-account";
/** Gap between two status events on a stream: each event is one status read of the job. */
const STREAM_EVENT_GAP_MS = 20;
/** How long a synchronous run "takes" when no completeAfterMs lifecycle drives it. */
const SYNC_RUN_MS = 50;
/** The largest single-PUT upload the client sends (bigger files go multipart, not served here). */
const MAX_SINGLE_UPLOAD_BYTES = 90 * 1024 * 1024;

const PAYLOADS_PATH = /^\/v1\/models\/requests\/([^/]+)\/payloads$/;

export function createFalProtocol(
  state: FakeState,
  credentials: { apiKey: string; adminApiKey?: string },
  signingKey: FalSigningKey,
): FakeProtocol {
  const appOf = (endpoint: string) => endpoint.split("/").slice(0, 2).join("/");
  const requestUrl = (job: FakeJob) => `${state.origin}/fal/${appOf(job.model)}/requests/${job.id}`;
  const moderationDetail = [
    {
      loc: ["body", "prompt"],
      msg: "The content could not be processed because it was flagged by a content checker.",
      type: "content_policy_violation",
    },
  ];
  const output = (job: FakeJob) => ({
    video: { url: state.outputUrl(job), content_type: "video/mp4", file_name: "output.mp4", file_size: 0 },
  });

  /** One status read: advances the job like a poll does, and answers what fal's status endpoint answers. */
  const statusOf = (job: FakeJob, withLogs: boolean): { status: number; body: Record<string, unknown> } => {
    state.poll(job);
    const logs = (entries: Array<Record<string, unknown>>) => (withLogs ? { logs: entries } : { logs: null });
    // The fields every status carries (the client's BaseQueueStatus).
    const base = {
      request_id: job.id,
      response_url: requestUrl(job),
      status_url: `${requestUrl(job)}/status`,
      cancel_url: `${requestUrl(job)}/cancel`,
    };
    if (job.phase === "queued")
      return { status: 202, body: { status: "IN_QUEUE", queue_position: state.queuePosition(job) - 1, ...base } };
    if (job.phase === "running")
      return {
        status: 202,
        body: {
          status: "IN_PROGRESS",
          ...base,
          ...logs([
            {
              message: `progress ${state.progress(job)}%`,
              level: "INFO",
              source: "USER",
              timestamp: new Date().toISOString(),
            },
          ]),
        },
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
          : {
              request_id: job.id,
              gateway_request_id: job.id,
              status: "ERROR",
              error: "Invalid status code: 422",
              payload: { detail: moderationDetail },
            },
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
    return {
      status: 200,
      body: { cdn_delete_results: hadOutput ? [{ link: state.outputUrl(job), exception: null }] : [] },
    };
  };

  const handleRequest = (
    request: ProtocolRequest,
    app: string,
    id: string,
    suffix: string | undefined,
  ): ApiResponse | undefined => {
    const job = state.getJob("fal", id);
    if (!job || job.kind !== "queue" || appOf(job.model) !== app)
      return { status: 404, body: { detail: "Request not found", status: "NOT_FOUND" } };
    if (suffix === "/status" && request.method === "GET") return statusOf(job, request.query.get("logs") === "1");
    if (suffix === "/status/stream" && request.method === "GET") return statusStream(job, request);
    if (suffix === "/cancel" && request.method === "PUT") {
      if (job.phase === "done") return { status: 400, body: { status: "ALREADY_COMPLETED" } };
      state.cancel(job);
      return { status: 202, body: { status: "CANCELLATION_REQUESTED" } };
    }
    if (suffix === undefined && request.method === "GET") {
      if (job.extra.payloadsDeleted === true)
        return { status: 404, body: { detail: "Request not found", status: "NOT_FOUND" } };
      if (job.phase !== "done") return detail(400, "Request is still in progress");
      if (job.outcome === "canceled") return detail(400, "Request was cancelled");
      if (job.outcome === "moderation") return { status: 422, body: { detail: moderationDetail } };
      return { status: 200, body: output(job) };
    }
    return undefined;
  };

  // Synchronous run (fal.run): the same job machinery, answered only when it is done.
  const runSync = async (request: ProtocolRequest, endpoint: string): Promise<ApiResponse> => {
    if (endpoint.split("/").length < 2) return { status: 404, body: { detail: "Not Found" } };
    // No video endpoint has a /stream route (streaming is for models that declare one).
    if (endpoint.endsWith("/stream")) return { status: 404, body: { detail: "Not Found" } };
    if (!isRecord(request.json))
      return { status: 422, body: { detail: [{ loc: ["body"], msg: "body must be an object", type: "type_error" }] } };
    const job = state.createJob("fal", {
      id: randomUUID(),
      model: endpoint,
      kind: "sync",
      input: request.json,
      callbackUrl: undefined,
      flags: state.takeJobFaults("fal", request.markers),
    });
    if (state.lifecycle("fal").completeAfterMs === undefined) state.later(SYNC_RUN_MS, () => state.finish(job));
    while (job.phase !== "done" && !state.stopped) await state.nextPhase(job, 1000);
    const headers = { "x-fal-request-id": job.id };
    if (job.outcome === "moderation") return { status: 422, headers, body: { detail: moderationDetail } };
    if (job.outcome !== "succeeded") return { status: 500, headers, body: { detail: "Request was not completed" } };
    return { status: 200, headers, body: output(job) };
  };

  // Storage (fal.storage.upload): initiate, then a PUT to a signed URL, then a public file URL.
  const uploads = new Map<string, { fileName: string; contentType: string; bytes: Buffer | undefined }>();
  const uploadSignature = (id: string) =>
    createHmac("sha256", credentials.apiKey).update(`upload:${id}`).digest("hex").slice(0, 32);
  const initiateUpload = (request: ProtocolRequest): ApiResponse => {
    const body = request.json;
    if (
      !isRecord(body) ||
      typeof body.content_type !== "string" ||
      typeof body.file_name !== "string" ||
      !body.file_name
    )
      return {
        status: 422,
        body: {
          detail: [
            { loc: ["body", "file_name"], msg: "content_type and file_name are required", type: "value_error.missing" },
          ],
        },
      };
    const id = randomBytes(9)
      .toString("base64url")
      .replace(/[^A-Za-z0-9]/g, "x");
    const fileName = body.file_name.split("/").at(-1)!;
    uploads.set(id, { fileName, contentType: body.content_type, bytes: undefined });
    return {
      status: 200,
      body: {
        upload_url: `${state.origin}/fal/.cdn/upload/${id}?signature=${uploadSignature(id)}`,
        file_url: `${state.origin}/fal/.cdn/files/${id}/${encodeURIComponent(fileName)}`,
      },
    };
  };
  const handleCdn = (request: ProtocolRequest): ApiResponse | undefined => {
    const put = /^\/\.cdn\/upload\/([^/]+)$/.exec(request.path);
    if (put && request.method === "PUT") {
      const upload = uploads.get(put[1]!);
      if (!upload || request.query.get("signature") !== uploadSignature(put[1]!))
        return { status: 403, body: "<Error><Code>SignatureDoesNotMatch</Code></Error>", raw: true };
      if (request.bodyBytes.byteLength > MAX_SINGLE_UPLOAD_BYTES)
        return { status: 413, body: "<Error><Code>EntityTooLarge</Code></Error>", raw: true };
      upload.bytes = request.bodyBytes;
      const type = request.headers["content-type"];
      if (typeof type === "string" && type) upload.contentType = type;
      return { status: 200, body: {} };
    }
    const get = /^\/\.cdn\/files\/([^/]+)\/[^/]+$/.exec(request.path);
    if (get && (request.method === "GET" || request.method === "HEAD")) {
      const upload = uploads.get(get[1]!);
      if (!upload?.bytes) return { status: 404, body: "<Error><Code>NoSuchKey</Code></Error>", raw: true };
      return { status: 200, body: upload.bytes, headers: { "content-type": upload.contentType } };
    }
    return undefined;
  };

  return {
    id: "fal",
    isSubmit: (method, path) =>
      method === "POST" && !path.includes("/requests/") && !path.startsWith("/.rest/") && !path.startsWith("/.cdn/"),
    authorize(headers, method, path) {
      if (method === "GET" && path === "/.well-known/jwks.json") return undefined;
      // The CDN is public and its upload URLs carry their own signature.
      if (path.startsWith("/.cdn/")) return undefined;
      if (PAYLOADS_PATH.test(path) && credentials.adminApiKey !== undefined) {
        if (headers.authorization === `Key ${credentials.adminApiKey}`) return undefined;
        return headers.authorization === `Key ${credentials.apiKey}`
          ? detail(403, "This operation requires an API key with ADMIN scope")
          : detail(401, "No user found for Key ID and Secret");
      }
      return headers.authorization === `Key ${credentials.apiKey}`
        ? undefined
        : detail(401, "No user found for Key ID and Secret");
    },
    faultResponse(fault: Fault): ApiResponse {
      switch (fault.kind) {
        case "rate_limit":
          return detail(429, "Too many concurrent requests", { "retry-after": String(fault.retryAfterSeconds ?? 2) });
        case "invalid_input":
          return {
            status: 422,
            body: {
              detail: [{ loc: ["body", "start_image_url"], msg: "field required", type: "value_error.missing" }],
            },
          };
        case "content_policy":
          return { status: 422, body: { detail: moderationDetail } };
        case "quota":
          return detail(
            403,
            "User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.",
          );
        default:
          return detail(503, "Runner scheduling failure", { "x-fal-error-type": "runner_scheduling_failure" });
      }
    },
    handle(request) {
      if (request.method === "GET" && request.path === "/.well-known/jwks.json")
        return { status: 200, body: { keys: [signingKey.publicJwk] } };
      if (request.path.startsWith("/.cdn/")) return handleCdn(request);
      if (request.method === "POST" && request.path === "/.rest/storage/upload/initiate")
        return initiateUpload(request);
      if (request.path.startsWith("/.rest/")) return undefined;
      if (request.path.startsWith("/.run/"))
        return request.method === "POST" ? runSync(request, request.path.slice("/.run/".length)) : undefined;
      const payloads = PAYLOADS_PATH.exec(request.path);
      if (payloads) return request.method === "DELETE" ? deletePayloads(decodeURIComponent(payloads[1]!)) : undefined;
      const match = /^\/([^/]+\/[^/]+)\/requests\/([^/]+)(\/status\/stream|\/status|\/cancel)?$/.exec(request.path);
      if (match) {
        const answer = handleRequest(request, match[1]!, decodeURIComponent(match[2]!), match[3]);
        return (
          answer && { ...answer, headers: { "x-fal-request-id": decodeURIComponent(match[2]!), ...answer.headers } }
        );
      }
      if (request.method === "POST") {
        const endpoint = request.path.replace(/^\/+/, "");
        if (endpoint.split("/").length < 2) return undefined;
        if (!isRecord(request.json))
          return {
            status: 422,
            body: { detail: [{ loc: ["body"], msg: "body must be an object", type: "type_error" }] },
          };
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
          body: {
            request_id: job.id,
            gateway_request_id: job.id,
            response_url: url,
            status_url: `${url}/status`,
            cancel_url: `${url}/cancel`,
            queue_position: 0,
          },
        };
      }
      return undefined;
    },
  };
}
