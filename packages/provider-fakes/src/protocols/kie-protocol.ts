// Fake Kie: Bearer key, every answer {code, msg, data} (business failures come as HTTP 200 with
// code != 200, as Kie does), Veo generate/record-info and market createTask/recordInfo, a
// terminal callback signed with X-Webhook-Timestamp/X-Webhook-Signature over taskId.timestamp.
// Shapes per https://docs.kie.ai/veo3-api/get-veo-3-video-details,
// https://docs.kie.ai/veo3-api/generate-veo-3-video-callbacks and
// https://docs.kie.ai/market/common/get-task-detail.
import { randomBytes } from "node:crypto";
import { bearer, isRecord, nowSeconds, type ApiResponse, type FakeJob, type FakeProtocol, type FakeState, type Fault } from "../fake-core";
import { kieWebhookHeaders } from "../webhook-signing";

function envelope(code: number, msg: string, data: unknown = null, status = 200, headers?: Record<string, string>): ApiResponse {
  return { status, headers, body: { code, msg, data } };
}

/** "2025-06-06 10:30:00", as the Veo details page shows times (UTC here). */
const kieDateTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");

const marketModels = new Set(["kling-3.0/video", "kling-3.0/motion-control", "bytedance/seedance-2"]);

export function createKieProtocol(state: FakeState, credentials: { apiKey: string; webhookHmacKey: string }): FakeProtocol {
  const veoData = (job: FakeJob) => {
    const done = job.phase === "done";
    const successFlag = !done ? 0 : job.outcome === "succeeded" ? 1 : job.outcome === "canceled" ? 3 : 2;
    return {
      taskId: job.id,
      paramJson: JSON.stringify(job.input),
      // The Veo details page shows times as "YYYY-MM-DD HH:mm:ss" strings (the market's are epoch ms).
      completeTime: done ? kieDateTime(job.updatedAt) : null,
      response: successFlag === 1 ? { taskId: job.id, resultUrls: [state.outputUrl(job)], originUrls: [], resolution: "720p" } : null,
      successFlag,
      errorCode: successFlag === 2 ? 400 : null,
      errorMessage: successFlag === 2 ? "Your request was rejected by the content policy (sensitive content)." : "",
      createTime: kieDateTime(job.createdAt),
      fallbackFlag: false,
    };
  };
  const marketData = (job: FakeJob) => {
    const state_ =
      job.phase === "queued" ? (job.polls === 0 ? "waiting" : "queuing") : job.phase === "running" ? "generating" : job.outcome === "succeeded" ? "success" : "fail";
    return {
      taskId: job.id,
      model: job.model,
      state: state_,
      param: JSON.stringify(job.input),
      resultJson: state_ === "success" ? JSON.stringify({ resultUrls: [state.outputUrl(job)] }) : "",
      failCode: state_ === "fail" ? "400" : "",
      failMsg: state_ === "fail" ? "Content violates the moderation policy (sensitive content detected)." : "",
      costTime: job.phase === "done" ? job.updatedAt - job.createdAt : null,
      completeTime: job.phase === "done" ? job.updatedAt : null,
      createTime: job.createdAt,
      updateTime: job.updatedAt,
    };
  };

  // Kie calls back once, when the task ends.
  state.listeners.set("kie", (job) => {
    if (job.phase !== "done") return;
    state.webhook(job, true, () => {
      const succeeded = job.outcome === "succeeded";
      const body =
        job.kind === "veo"
          ? {
              code: succeeded ? 200 : 400,
              msg: succeeded ? "Veo3 video generated successfully." : "Generation failed",
              data: { taskId: job.id, info: succeeded ? { resultUrls: [state.outputUrl(job)], originUrls: [], resolution: "720p" } : null, fallbackFlag: false },
            }
          : { code: succeeded ? 200 : 501, msg: succeeded ? "Playground task completed successfully." : "Playground task failed.", data: marketData(job) };
      return { headers: kieWebhookHeaders(credentials.webhookHmacKey, job.id, nowSeconds()), body: JSON.stringify(body) };
    });
  });

  const create = (kind: "veo" | "market", model: string, body: Record<string, unknown>, markers: ReturnType<FakeState["takeJobFaults"]>) =>
    state.createJob("kie", {
      id: randomBytes(16).toString("hex"),
      model,
      kind,
      input: body,
      callbackUrl: typeof body.callBackUrl === "string" ? body.callBackUrl : undefined,
      flags: markers,
    });

  return {
    id: "kie",
    isSubmit: (method) => method === "POST",
    authorize(headers) {
      return bearer(headers) === credentials.apiKey ? undefined : envelope(401, "You do not have access permissions", null, 401);
    },
    faultResponse(fault: Fault): ApiResponse {
      switch (fault.kind) {
        case "rate_limit":
          return envelope(429, "Rate limited: too many requests", null, 429, { "retry-after": String(fault.retryAfterSeconds ?? 2) });
        case "invalid_input":
          return envelope(422, "Validation error: invalid parameters");
        case "content_policy":
          return envelope(400, "Your prompt was flagged by the content policy (sensitive content)");
        case "quota":
          return envelope(402, "Insufficient credits");
        default:
          // Kie reports its own failures inside a 200: the adapter must look at `code`.
          return envelope(500, "Server error, please try again later");
      }
    },
    handle(request) {
      const body = isRecord(request.json) ? request.json : {};
      if (request.method === "POST" && request.path === "/api/v1/veo/generate") {
        const urls = body.imageUrls;
        if (typeof body.prompt !== "string" || !Array.isArray(urls) || urls.length < 1 || urls.length > 2)
          return envelope(422, "prompt and 1–2 imageUrls are required");
        if (body.model !== "veo3" && body.model !== "veo3_fast") return envelope(422, "model must be veo3 or veo3_fast");
        const job = create("veo", body.model, body, state.takeJobFaults("kie", request.markers));
        return envelope(200, "success", { taskId: job.id });
      }
      if (request.method === "GET" && request.path === "/api/v1/veo/record-info") {
        const job = state.getJob("kie", request.query.get("taskId") ?? "");
        if (!job || job.kind !== "veo") return envelope(404, "Task not found");
        state.poll(job);
        return envelope(200, "success", veoData(job));
      }
      if (request.method === "POST" && request.path === "/api/v1/jobs/createTask") {
        if (typeof body.model !== "string" || !marketModels.has(body.model)) return envelope(422, "Unsupported model");
        if (!isRecord(body.input)) return envelope(422, "input is required");
        if (body.model === "kling-3.0/video" && body.input.duration !== undefined && typeof body.input.duration !== "string")
          return envelope(422, "duration must be a string");
        const job = create("market", body.model, body, state.takeJobFaults("kie", request.markers));
        return envelope(200, "success", { taskId: job.id });
      }
      if (request.method === "GET" && request.path === "/api/v1/jobs/recordInfo") {
        const job = state.getJob("kie", request.query.get("taskId") ?? "");
        if (!job || job.kind !== "market") return envelope(404, "Task not found");
        state.poll(job);
        // The market's "Get Task Details" page answers {code, message, data} (not msg).
        return { status: 200, body: { code: 200, message: "success", data: marketData(job) } };
      }
      return undefined;
    },
  };
}
