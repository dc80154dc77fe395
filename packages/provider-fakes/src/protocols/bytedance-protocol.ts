// Fake BytePlus ModelArk video tasks: Bearer key, strict body validation, status queued →
// running → succeeded | failed | cancelled, DELETE cancels a queued task, unsigned callbacks
// with the GET body on every change. Moderation rejects after an accepted submit. "List content
// generation tasks" (GET …/tasks?page_num&page_size&filter.status&filter.task_ids&filter.model)
// answers {items, total}, newest first; reading the list advances no task. Content items are
// checked as the create page lists them (text; image_url with role first_frame | last_frame |
// reference_image; video_url / reference_video; audio_url / reference_audio; draft_task {id}),
// and a task answers every field the query page documents (https://docs.byteplus.com/en/docs/ModelArk/1521309:
// content.video_url and, with return_last_frame, content.last_frame_url; seed, resolution, ratio,
// duration, frames, framespersecond, generate_audio, draft, draft_task_id, service_tier,
// execution_expires_after (default 172800; the 3600–259200 range refused outside is unverified), priority, safety_identifier, usage, error).
import { randomBytes } from "node:crypto";
import {
  bearer,
  isRecord,
  type ApiResponse,
  type FakeJob,
  type FakeProtocol,
  type FakeState,
  type Fault,
} from "../fake-core";

function apiError(status: number, code: string, message: string, headers?: Record<string, string>): ApiResponse {
  return {
    status,
    headers,
    body: { error: { code, message, param: "", type: status === 401 ? "Unauthorized" : "BadRequest" } },
  };
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
const contentRoles: Record<string, Set<string | undefined>> = {
  text: new Set([undefined]),
  image_url: new Set([undefined, "first_frame", "last_frame", "reference_image"]),
  video_url: new Set(["reference_video"]),
  audio_url: new Set(["reference_audio"]),
  draft_task: new Set([undefined]),
};

/** Why a content list is refused, per the create page; undefined when it is fine. */
function contentProblem(content: unknown[]): string | undefined {
  for (const [index, item] of content.entries()) {
    if (!isRecord(item) || typeof item.type !== "string" || !(item.type in contentRoles))
      return `content[${index}].type must be text, image_url, video_url, audio_url or draft_task`;
    const role =
      item.role === undefined ? undefined : typeof item.role === "string" ? item.role : JSON.stringify(item.role);
    if (!contentRoles[item.type]!.has(role))
      return `content[${index}].role ${role ?? "(none)"} does not fit type ${item.type}`;
    if (item.type === "text" && typeof item.text !== "string") return `content[${index}].text is required`;
    if (item.type === "draft_task" && !(isRecord(item.draft_task) && typeof item.draft_task.id === "string"))
      return `content[${index}].draft_task.id is required`;
    if (item.type !== "text" && item.type !== "draft_task") {
      const media = item[item.type];
      if (!isRecord(media) || typeof media.url !== "string" || !media.url)
        return `content[${index}].${item.type}.url is required`;
    }
  }
  const roles = content.map((item) => (isRecord(item) ? item.role : undefined));
  if (roles.filter((r) => r === "first_frame").length > 1 || roles.filter((r) => r === "last_frame").length > 1)
    return "at most one first_frame and one last_frame";
  if (roles.includes("last_frame") && !roles.includes("first_frame")) return "last_frame needs a first_frame";
  return undefined;
}

export function createBytedanceProtocol(state: FakeState, credentials: { apiKey: string }): FakeProtocol {
  const task = (job: FakeJob): Record<string, unknown> => {
    const input = isRecord(job.input) ? job.input : {};
    const status =
      job.phase === "queued"
        ? "queued"
        : job.phase === "running"
          ? "running"
          : job.outcome === "succeeded"
            ? "succeeded"
            : job.outcome === "canceled"
              ? "cancelled"
              : "failed";
    const draftTask: unknown = Array.isArray(input.content)
      ? input.content.find((item) => isRecord(item) && item.type === "draft_task")
      : undefined;
    const duration =
      typeof input.duration === "number"
        ? input.duration
        : typeof input.frames === "number"
          ? Math.round(input.frames / 24)
          : 5;
    return {
      id: job.id,
      model: job.model,
      status,
      error:
        status === "failed"
          ? {
              code: "OutputVideoSensitiveContentDetected",
              message: "The request failed because the output video may contain sensitive information.",
            }
          : null,
      created_at: Math.floor(job.createdAt / 1000),
      updated_at: Math.floor(job.updatedAt / 1000),
      ...(status === "succeeded"
        ? {
            content: {
              video_url: state.outputUrl(job),
              ...(input.return_last_frame === true ? { last_frame_url: `${state.origin}/media/end.png` } : {}),
            },
            usage: { completion_tokens: 108900, total_tokens: 108900 },
          }
        : {}),
      seed: typeof input.seed === "number" && input.seed !== -1 ? input.seed : 42,
      resolution: input.resolution ?? "720p",
      ratio: input.ratio ?? "adaptive",
      duration,
      ...(typeof input.frames === "number" ? { frames: input.frames } : {}),
      framespersecond: 24,
      generate_audio: input.generate_audio ?? true,
      draft: input.draft ?? false,
      ...(isRecord(draftTask) && isRecord(draftTask.draft_task) ? { draft_task_id: draftTask.draft_task.id } : {}),
      service_tier: input.service_tier ?? "default",
      execution_expires_after: input.execution_expires_after ?? 172800,
      priority: input.priority ?? 0,
      ...(typeof input.safety_identifier === "string" ? { safety_identifier: input.safety_identifier } : {}),
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
    if (pageNum === undefined || pageSize === undefined)
      return apiError(400, "InvalidParameter", "page_num and page_size must be integers in [1, 500]");
    const status = query.get("filter.status");
    if (status !== null && !taskStatuses.has(status))
      return apiError(400, "InvalidParameter", `unknown filter.status ${status}`);
    const ids = query.getAll("filter.task_ids");
    const model = query.get("filter.model");
    const tasks = [...state.jobs.values()]
      .filter((j) => j.provider === "bytedance")
      // Newest first: the job map keeps creation order (created_at is only in seconds).
      .reverse()
      .map((j) => task(j))
      .filter(
        (t) =>
          (status === null || t.status === status) &&
          (ids.length === 0 || ids.includes(String(t.id))) &&
          (model === null || t.model === model),
      );
    return {
      status: 200,
      body: { items: tasks.slice((pageNum - 1) * pageSize, pageNum * pageSize), total: tasks.length },
    };
  };
  return {
    id: "bytedance",
    isSubmit: (method) => method === "POST",
    authorize(headers) {
      return bearer(headers) === credentials.apiKey
        ? undefined
        : apiError(401, "AuthenticationError", "The API key in the request is missing or invalid.");
    },
    faultResponse(fault: Fault): ApiResponse {
      switch (fault.kind) {
        case "rate_limit":
          return apiError(429, "RateLimitExceeded.EndpointRPMExceeded", "Requests per minute exceeded", {
            "retry-after": String(fault.retryAfterSeconds ?? 2),
          });
        case "invalid_input":
          return apiError(400, "InvalidParameter", "One or more parameters specified in the request are not valid.");
        case "content_policy":
          return apiError(
            400,
            "InputTextSensitiveContentDetected",
            "The request failed because the input text may contain sensitive information.",
          );
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
        for (const key of Object.keys(body))
          if (!allowedFields.has(key)) return apiError(400, "InvalidParameter", `unknown field ${key}`);
        if (typeof body.model !== "string" || !Array.isArray(body.content))
          return apiError(400, "MissingParameter", "model and content are required");
        const problem = contentProblem(body.content);
        if (problem) return apiError(400, "InvalidParameter", problem);
        if (body.service_tier !== undefined && body.service_tier !== "default" && body.service_tier !== "flex")
          return apiError(400, "InvalidParameter", "service_tier must be default or flex");
        if (
          body.execution_expires_after !== undefined &&
          (typeof body.execution_expires_after !== "number" ||
            body.execution_expires_after < 3600 ||
            body.execution_expires_after > 259200)
        )
          return apiError(400, "InvalidParameter", "execution_expires_after must be from 3600 to 259200 seconds");
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
