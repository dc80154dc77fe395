// Fake BytePlus ModelArk video tasks: Bearer key, strict body validation, status queued →
// running → succeeded | failed | cancelled, DELETE cancels a queued task, unsigned callbacks
// with the GET body on every change. Moderation rejects after an accepted submit.
import { randomBytes } from "node:crypto";
import { bearer, isRecord, type ApiResponse, type FakeJob, type FakeProtocol, type FakeState, type Fault } from "../fake-core";

function apiError(status: number, code: string, message: string, headers?: Record<string, string>): ApiResponse {
  return { status, headers, body: { error: { code, message, param: "", type: status === 401 ? "Unauthorized" : "BadRequest" } } };
}

const allowedFields = new Set(["model", "content", "resolution", "ratio", "duration", "seed", "camera_fixed", "generate_audio", "callback_url", "watermark", "return_last_frame", "service_tier"]);

export function createBytedanceProtocol(state: FakeState, credentials: { apiKey: string }): FakeProtocol {
  const task = (job: FakeJob): Record<string, unknown> => {
    const input = isRecord(job.input) ? job.input : {};
    const status =
      job.phase === "queued" ? "queued" : job.phase === "running" ? "running" : job.outcome === "succeeded" ? "succeeded" : job.outcome === "canceled" ? "cancelled" : "failed";
    return {
      id: job.id,
      model: job.model,
      status,
      ...(status === "succeeded" ? { content: { video_url: state.outputUrl(job) }, usage: { completion_tokens: 108900, total_tokens: 108900 } } : {}),
      ...(status === "failed" ? { error: { code: "OutputVideoSensitiveContentDetected", message: "The request failed because the output video may contain sensitive information." } } : {}),
      created_at: Math.floor(job.createdAt / 1000),
      updated_at: Math.floor(job.updatedAt / 1000),
      seed: typeof input.seed === "number" ? input.seed : 42,
      resolution: input.resolution ?? "720p",
      ratio: input.ratio ?? "adaptive",
      duration: input.duration ?? 5,
    };
  };

  state.listeners.set("bytedance", (job) => {
    state.webhook(job, job.phase === "done", () => ({ headers: {}, body: JSON.stringify(task(job)) }));
  });

  const prefix = "/contents/generations/tasks";
  return {
    id: "bytedance",
    isSubmit: (method) => method === "POST",
    authorize(headers) {
      return bearer(headers) === credentials.apiKey ? undefined : apiError(401, "AuthenticationError", "The API key in the request is missing or invalid.");
    },
    faultResponse(fault: Fault): ApiResponse {
      switch (fault.kind) {
        case "rate_limit":
          return apiError(429, "RateLimitExceeded.EndpointRPMExceeded", "Requests per minute exceeded", { "retry-after": String(fault.retryAfterSeconds ?? 2) });
        case "invalid_input":
          return apiError(400, "InvalidParameter", "One or more parameters specified in the request are not valid.");
        case "content_policy":
          return apiError(400, "InputTextSensitiveContentDetected", "The request failed because the input text may contain sensitive information.");
        case "quota":
          return apiError(403, "AccountOverdueError", "Your account has an overdue balance.");
        default:
          return apiError(500, "InternalServiceError", "The service encountered an unexpected internal error.");
      }
    },
    handle(request) {
      if (request.method === "POST" && request.path === prefix) {
        const body = request.json;
        if (!isRecord(body)) return apiError(400, "InvalidParameter", "body must be an object");
        for (const key of Object.keys(body)) if (!allowedFields.has(key)) return apiError(400, "InvalidParameter", `unknown field ${key}`);
        if (typeof body.model !== "string" || !Array.isArray(body.content)) return apiError(400, "MissingParameter", "model and content are required");
        const job = state.createJob("bytedance", {
          id: `cgt-${randomBytes(8).toString("hex")}`,
          model: body.model,
          kind: "task",
          input: body,
          callbackUrl: typeof body.callback_url === "string" ? body.callback_url : undefined,
          flags: state.takeJobFaults("bytedance", request.markers),
        });
        return { status: 200, body: { id: job.id } };
      }
      if (request.path.startsWith(`${prefix}/`)) {
        const job = state.getJob("bytedance", decodeURIComponent(request.path.slice(prefix.length + 1)));
        if (!job) return apiError(404, "ResourceNotFound", "The specified task is not found.");
        if (request.method === "GET") {
          state.poll(job);
          return { status: 200, body: task(job) };
        }
        if (request.method === "DELETE") {
          if (job.phase !== "queued") return apiError(400, "InvalidParameter", "Only queued tasks can be cancelled.");
          state.cancel(job);
          return { status: 200, body: {} };
        }
      }
      return undefined;
    },
  };
}
