// Fake Kie: Bearer key, every answer {code, msg, data} (business failures come as HTTP 200 with
// code != 200, as Kie does), Veo generate/record-info and market createTask/recordInfo, a
// terminal callback signed with X-Webhook-Timestamp/X-Webhook-Signature over taskId.timestamp.
// Shapes per https://docs.kie.ai/veo3-api/generate-veo-3-video (text-to-video without imageUrls,
// model defaulting to veo3_fast, generationType TEXT_2_VIDEO | FIRST_AND_LAST_FRAMES_2_VIDEO |
// REFERENCE_2_VIDEO (veo3_fast only), aspectRatio 16:9 | 9:16 | Auto, seeds 10000–99999,
// watermark, enableTranslation, enableFallback), https://docs.kie.ai/veo3-api/get-veo-3-video-details,
// the "Get 1080P Video" page beside it (GET /api/v1/veo/get-1080p-video?taskId&index),
// https://docs.kie.ai/veo3-api/generate-veo-3-video-callbacks, https://docs.kie.ai/market/common/get-task-detail,
// https://docs.kie.ai/market/kling/kling-3.0 (mode std | pro, aspect_ratio 16:9 | 9:16 | 1:1,
// duration "3"–"15", sound, multi_shots with multi_prompt, kling_elements) and the Common API's
// "Get Remaining Credits" (GET /api/v1/chat/credit).
import { randomBytes } from "node:crypto";
import {
  bearer,
  isRecord,
  nowSeconds,
  type ApiResponse,
  type FakeJob,
  type FakeProtocol,
  type FakeState,
  type Fault,
} from "../fake-core";
import { kieWebhookHeaders } from "../webhook-signing";

function envelope(
  code: number,
  msg: string,
  data: unknown = null,
  status = 200,
  headers?: Record<string, string>,
): ApiResponse {
  return { status, headers, body: { code, msg, data } };
}

/** "2025-06-06 10:30:00", as the Veo details page shows times (UTC here). */
const kieDateTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");

const marketModels = new Set(["kling-3.0/video", "kling-3.0/motion-control", "bytedance/seedance-2"]);
const veoGenerationTypes = new Set(["TEXT_2_VIDEO", "FIRST_AND_LAST_FRAMES_2_VIDEO", "REFERENCE_2_VIDEO"]);
const veoAspectRatios = new Set(["16:9", "9:16", "Auto"]);
/** The fake account's balance (credits), for GET /api/v1/chat/credit. */
export const FAKE_KIE_CREDITS = 1000;

/** Why a kling-3.0/video input is refused, per its market page; undefined when it is fine. */
function klingInputProblem(input: Record<string, unknown>): string | undefined {
  if (input.mode !== undefined && input.mode !== "std" && input.mode !== "pro") return "mode must be std or pro";
  if (
    input.aspect_ratio !== undefined &&
    (typeof input.aspect_ratio !== "string" || !["16:9", "9:16", "1:1"].includes(input.aspect_ratio))
  )
    return "aspect_ratio must be 16:9, 9:16 or 1:1";
  if (
    input.duration !== undefined &&
    (typeof input.duration !== "string" || !/^(?:[3-9]|1[0-5])$/.test(input.duration))
  )
    return 'duration must be a string from "3" to "15"';
  if (input.sound !== undefined && typeof input.sound !== "boolean") return "sound must be a boolean";
  if (
    input.image_urls !== undefined &&
    (!Array.isArray(input.image_urls) ||
      input.image_urls.length > 2 ||
      input.image_urls.some((u) => typeof u !== "string"))
  )
    return "image_urls takes at most 2 URLs (first and last frame)";
  if (input.multi_shots !== undefined && typeof input.multi_shots !== "boolean") return "multi_shots must be a boolean";
  if (input.multi_shots === true && (!Array.isArray(input.multi_prompt) || input.multi_prompt.length === 0))
    return "multi_shots needs multi_prompt";
  if (input.multi_shots !== true && typeof input.prompt !== "string") return "prompt is required";
  if (
    input.kling_elements !== undefined &&
    (!Array.isArray(input.kling_elements) ||
      input.kling_elements.some((e) => !isRecord(e) || typeof e.name !== "string"))
  )
    return "kling_elements must be a list of {name, description, element_input_urls | element_input_video_urls}";
  return undefined;
}

export function createKieProtocol(
  state: FakeState,
  credentials: { apiKey: string; webhookHmacKey: string },
): FakeProtocol {
  const veoData = (job: FakeJob) => {
    const done = job.phase === "done";
    const successFlag = !done ? 0 : job.outcome === "succeeded" ? 1 : job.outcome === "canceled" ? 3 : 2;
    return {
      taskId: job.id,
      paramJson: JSON.stringify(job.input),
      // The Veo details page shows times as "YYYY-MM-DD HH:mm:ss" strings (the market's are epoch ms).
      completeTime: done ? kieDateTime(job.updatedAt) : null,
      response:
        successFlag === 1
          ? { taskId: job.id, resultUrls: [state.outputUrl(job)], originUrls: [], resolution: "720p" }
          : null,
      successFlag,
      errorCode: successFlag === 2 ? 400 : null,
      errorMessage: successFlag === 2 ? "Your request was rejected by the content policy (sensitive content)." : "",
      createTime: kieDateTime(job.createdAt),
      fallbackFlag: false,
    };
  };
  const marketData = (job: FakeJob) => {
    const state_ =
      job.phase === "queued"
        ? job.polls === 0
          ? "waiting"
          : "queuing"
        : job.phase === "running"
          ? "generating"
          : job.outcome === "succeeded"
            ? "success"
            : "fail";
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
              data: {
                taskId: job.id,
                info: succeeded ? { resultUrls: [state.outputUrl(job)], originUrls: [], resolution: "720p" } : null,
                fallbackFlag: false,
              },
            }
          : {
              code: succeeded ? 200 : 501,
              msg: succeeded ? "Playground task completed successfully." : "Playground task failed.",
              data: marketData(job),
            };
      return {
        headers: kieWebhookHeaders(credentials.webhookHmacKey, job.id, nowSeconds()),
        body: JSON.stringify(body),
      };
    });
  });

  const create = (
    kind: "veo" | "market",
    model: string,
    body: Record<string, unknown>,
    markers: ReturnType<FakeState["takeJobFaults"]>,
  ) =>
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
      return bearer(headers) === credentials.apiKey
        ? undefined
        : envelope(401, "You do not have access permissions", null, 401);
    },
    faultResponse(fault: Fault): ApiResponse {
      switch (fault.kind) {
        case "rate_limit":
          return envelope(429, "Rate limited: too many requests", null, 429, {
            "retry-after": String(fault.retryAfterSeconds ?? 2),
          });
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
        const urls = body.imageUrls ?? [];
        const model = body.model ?? "veo3_fast";
        const type =
          body.generationType ??
          (Array.isArray(urls) && urls.length > 0 ? "FIRST_AND_LAST_FRAMES_2_VIDEO" : "TEXT_2_VIDEO");
        if (typeof body.prompt !== "string" || !body.prompt) return envelope(422, "prompt is required");
        if (model !== "veo3" && model !== "veo3_fast") return envelope(422, "model must be veo3 or veo3_fast");
        if (typeof type !== "string" || !veoGenerationTypes.has(type))
          return envelope(
            422,
            "generationType must be TEXT_2_VIDEO, FIRST_AND_LAST_FRAMES_2_VIDEO or REFERENCE_2_VIDEO",
          );
        if (!Array.isArray(urls) || urls.some((u) => typeof u !== "string"))
          return envelope(422, "imageUrls must be a list of URLs");
        if (type === "TEXT_2_VIDEO" && urls.length > 0) return envelope(422, "TEXT_2_VIDEO takes no imageUrls");
        if (type === "FIRST_AND_LAST_FRAMES_2_VIDEO" && (urls.length < 1 || urls.length > 2))
          return envelope(422, "FIRST_AND_LAST_FRAMES_2_VIDEO takes 1 or 2 imageUrls");
        if (type === "REFERENCE_2_VIDEO" && (model !== "veo3_fast" || urls.length < 1 || urls.length > 3))
          return envelope(422, "REFERENCE_2_VIDEO takes 1–3 imageUrls with veo3_fast");
        if (
          body.aspectRatio !== undefined &&
          (typeof body.aspectRatio !== "string" || !veoAspectRatios.has(body.aspectRatio))
        )
          return envelope(422, "aspectRatio must be 16:9, 9:16 or Auto");
        if (
          body.seeds !== undefined &&
          (typeof body.seeds !== "number" || !Number.isInteger(body.seeds) || body.seeds < 10000 || body.seeds > 99999)
        )
          return envelope(422, "seeds must be an integer from 10000 to 99999");
        for (const flag of ["enableTranslation", "enableFallback"] as const)
          if (body[flag] !== undefined && typeof body[flag] !== "boolean")
            return envelope(422, `${flag} must be a boolean`);
        if (body.watermark !== undefined && typeof body.watermark !== "string")
          return envelope(422, "watermark must be a string");
        const job = create("veo", model, body, state.takeJobFaults("kie", request.markers));
        return envelope(200, "success", { taskId: job.id });
      }
      if (request.method === "GET" && request.path === "/api/v1/veo/get-1080p-video") {
        const job = state.getJob("kie", request.query.get("taskId") ?? "");
        if (!job || job.kind !== "veo") return envelope(404, "Task not found");
        const index = Number(request.query.get("index") ?? 0);
        if (!Number.isInteger(index) || index !== 0) return envelope(422, "index out of range");
        if (job.phase !== "done" || job.outcome !== "succeeded")
          return envelope(400, "The video is not ready yet; try again once the task succeeded.");
        return envelope(200, "success", { resultUrl: state.outputUrl(job) });
      }
      if (request.method === "GET" && request.path === "/api/v1/chat/credit")
        return envelope(200, "success", FAKE_KIE_CREDITS);
      if (request.method === "GET" && request.path === "/api/v1/veo/record-info") {
        const job = state.getJob("kie", request.query.get("taskId") ?? "");
        if (!job || job.kind !== "veo") return envelope(404, "Task not found");
        state.poll(job);
        return envelope(200, "success", veoData(job));
      }
      if (request.method === "POST" && request.path === "/api/v1/jobs/createTask") {
        if (typeof body.model !== "string" || !marketModels.has(body.model)) return envelope(422, "Unsupported model");
        if (!isRecord(body.input)) return envelope(422, "input is required");
        const problem = body.model === "kling-3.0/video" ? klingInputProblem(body.input) : undefined;
        if (problem) return envelope(422, problem);
        if (
          body.callBackUrl !== undefined &&
          (typeof body.callBackUrl !== "string" || !/^https?:\/\//.test(body.callBackUrl))
        )
          return envelope(422, "callBackUrl must be an HTTP(S) URL");
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
