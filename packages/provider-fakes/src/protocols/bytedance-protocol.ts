// Fake BytePlus ModelArk video tasks: Bearer key, strict body validation, status queued →
// running → succeeded | failed | cancelled, DELETE cancels a queued task, unsigned callbacks
// with the GET body on every change. Moderation rejects after an accepted submit. "List content
// generation tasks" (GET …/tasks?page_num&page_size&filter.status&filter.task_ids&filter.model)
// answers {items, total}, newest first; reading the list advances no task.
import { randomBytes } from "node:crypto";
import { bearer, isRecord, type ApiResponse, type FakeJob, type FakeProtocol, type FakeState, type Fault } from "../fake-core";

function apiError(status: number, code: string, message: string, headers?: Record<string, string>): ApiResponse {
  return { status, headers, body: { error: { code, message, param: "", type: status === 401 ? "Unauthorized" : "BadRequest" } } };
}

// Every field the current create-task docs list; anything else is refused (strict validation).
const allowedFields = new Set([
  "model",
  "content",
  "resolution",
  "ratio",
  "duration",
  "frames",
  "seed",
  "camera_fixed",
  "generate_audio",
  "draft",
  "callback_url",
  "watermark",
  "return_last_frame",
  "service_tier",
  "execution_expires_after",
  "safety_identifier",
  "priority",
]);
const taskStatuses = new Set(["queued", "running", "cancelled", "succeeded", "failed", "expired"]);

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

  const list = (query: URLSearchParams): ApiResponse => {
    const number = (name: string, fallback: number) => {
      const raw = query.get(name);
      if (raw === null) return fallback;
      const value = Number(raw);
      return Number.isInteger(value) && value >= 1 && value <= 500 ? value : undefined;
    };
    const pageNum = number("page_num", 1);
    const pageSize = number("page_size", 10);
    if (pageNum === undefined || pageSize === undefined) return apiError(400, "InvalidParameter", "page_num and page_size must be integers in [1, 500]");
    const status = query.get("filter.status");
    if (status !== null && !taskStatuses.has(status)) return apiError(400, "InvalidParameter", `unknown filter.status ${status}`);
    const ids = query.getAll("filter.task_ids");
    const model = query.get("filter.model");
    const tasks = [...state.jobs.values()]
      .filter((j) => j.provider === "bytedance")
      // Newest first: the job map keeps creation order (created_at is only in seconds).
      .reverse()
      .map((j) => task(j))
      .filter((t) => (status === null || t.status === status) && (ids.length === 0 || ids.includes(String(t.id))) && (model === null || t.model === model));
    return { status: 200, body: { items: tasks.slice((pageNum - 1) * pageSize, pageNum * pageSize), total: tasks.length } };
  };
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
      if (request.method === "GET" && request.path === prefix) return list(request.query);
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
