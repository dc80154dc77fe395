// Fake Kling (Kuaishou) API: JWT HS256 auth, {code, message, request_id, data} envelopes,
// task_status submitted → processing → succeed | failed, unsigned callbacks on every change.
// Tasks are found by id, by our external_task_id, or listed (pageNum/pageSize), as
// https://app.klingai.com/global/dev/document-api/apiReference/model/imageToVideo describes. The
// create answer already carries task_info.external_task_id, every task a task_status_msg ("" until
// something is to be said); image-to-video takes the documented mode std | pro, cfg_scale 0–1,
// static_mask / dynamic_masks, and v3's multi_shot (shot_type, multi_prompt of 1–6 shots).
import { randomUUID } from "node:crypto";
import { errors, jwtVerify } from "jose";
import {
  isRecord,
  type ApiResponse,
  type FakeJob,
  type FakeProtocol,
  type FakeState,
  type Fault,
  type JobPhase,
} from "../fake-core";

function ok(data: unknown): ApiResponse {
  return { status: 200, body: { code: 0, message: "SUCCEED", request_id: randomUUID(), data } };
}

function fail(status: number, code: number, message: string, headers?: Record<string, string>): ApiResponse {
  return { status, body: { code, message, request_id: randomUUID() }, headers };
}

/**
 * Kling's auth guide: a JWT, HS256, signed with the secret key, claims iss = access key, exp, nbf.
 * Checked with jose (not a home-made verifier), so our adapter's signer is held to the standard.
 */
async function verifyJwt(token: string, accessKey: string, secret: Uint8Array): Promise<string | undefined> {
  try {
    await jwtVerify(token, secret, { algorithms: ["HS256"], issuer: accessKey, requiredClaims: ["exp"] });
    return undefined;
  } catch (error) {
    if (error instanceof errors.JWTExpired) return "token expired";
    if (error instanceof errors.JWTClaimValidationFailed)
      return error.claim === "iss"
        ? "unknown access key"
        : error.claim === "nbf"
          ? "token not yet valid"
          : `claim ${error.claim} invalid`;
    if (error instanceof errors.JWSSignatureVerificationFailed) return "signature invalid";
    return "malformed token";
  }
}

export function createKlingProtocol(
  state: FakeState,
  credentials: { accessKey: string; secretKey: string },
): FakeProtocol {
  const secret = new TextEncoder().encode(credentials.secretKey);
  const taskObject = (job: FakeJob) => {
    const statusByPhase = {
      queued: "submitted",
      running: "processing",
      done: job.outcome === "succeeded" ? "succeed" : "failed",
    } as const;
    const task: Record<string, unknown> = {
      task_id: job.id,
      task_status: statusByPhase[job.phase],
      task_status_msg: "",
      task_info:
        isRecord(job.input) && typeof job.input.external_task_id === "string"
          ? { external_task_id: job.input.external_task_id }
          : {},
      created_at: job.createdAt,
      updated_at: job.updatedAt,
    };
    if (job.phase === "done" && job.outcome === "succeeded") {
      const duration = isRecord(job.input) && typeof job.input.duration === "string" ? job.input.duration : "5";
      task.task_result = { videos: [{ id: job.outputId, url: state.outputUrl(job), duration }] };
    }
    if (job.phase === "done" && job.outcome === "moderation")
      task.task_status_msg = "Failure to pass the risk control system";
    if (job.phase === "done" && job.outcome === "canceled") task.task_status_msg = "task canceled";
    return task;
  };

  // Kling calls back on every status change, unsigned, with the task object as the body.
  state.listeners.set("kling", (job: FakeJob, _previous: JobPhase) => {
    state.webhook(job, job.phase === "done", () => ({ headers: {}, body: JSON.stringify(taskObject(job)) }));
  });

  const kindOf = (path: string) =>
    path.startsWith("/v1/videos/motion-control")
      ? "motion-control"
      : path.startsWith("/v1/videos/image2video")
        ? "image2video"
        : undefined;

  return {
    id: "kling",
    isSubmit: (method) => method === "POST",
    async authorize(headers) {
      const value = headers.authorization;
      if (!value?.startsWith("Bearer ")) return fail(401, 1001, "Authorization is empty");
      const problem = await verifyJwt(value.slice("Bearer ".length), credentials.accessKey, secret);
      if (problem) return fail(401, problem === "token expired" ? 1004 : 1002, `Authorization is invalid: ${problem}`);
      return undefined;
    },
    faultResponse(fault: Fault): ApiResponse {
      switch (fault.kind) {
        case "rate_limit":
          return fail(429, 1302, "The API request is too fast, please slow down", {
            "retry-after": String(fault.retryAfterSeconds ?? 2),
          });
        case "invalid_input":
          return fail(400, 1201, "Invalid request parameters");
        case "content_policy":
          return fail(400, 1301, "The content of the request triggers the platform's content security policy");
        case "quota":
          return fail(429, 1102, "Account balance is not enough");
        default:
          return fail(500, 5000, "Server internal error");
      }
    },
    handle(request) {
      const kind = kindOf(request.path);
      if (!kind) return undefined;
      const base = kind === "motion-control" ? "/v1/videos/motion-control" : "/v1/videos/image2video";
      if (request.method === "POST" && request.path === base) {
        const body = request.json;
        if (!isRecord(body)) return fail(400, 1200, "Invalid request body");
        if (kind === "image2video") {
          if (typeof body.image !== "string" && typeof body.image_tail !== "string")
            return fail(400, 1201, "image is required");
          if (body.duration !== undefined && typeof body.duration !== "string")
            return fail(400, 1201, "duration must be a string");
          if ("aspect_ratio" in body) return fail(400, 1201, "aspect_ratio is not supported for image2video");
          if ("seed" in body) return fail(400, 1201, "unknown parameter seed");
          if (body.sound !== undefined && body.sound !== "on" && body.sound !== "off")
            return fail(400, 1201, "sound must be on or off");
          if (body.mode !== undefined && body.mode !== "std" && body.mode !== "pro")
            return fail(400, 1201, "mode must be std or pro");
          if (
            body.cfg_scale !== undefined &&
            (typeof body.cfg_scale !== "number" || body.cfg_scale < 0 || body.cfg_scale > 1)
          )
            return fail(400, 1201, "cfg_scale must be from 0 to 1");
          if (body.multi_shot !== undefined && typeof body.multi_shot !== "boolean")
            return fail(400, 1201, "multi_shot must be a boolean");
          if (body.multi_shot === true) {
            if (body.shot_type !== "customize" && body.shot_type !== "intelligence")
              return fail(400, 1201, "shot_type must be customize or intelligence when multi_shot is true");
            if (
              body.shot_type === "customize" &&
              (!Array.isArray(body.multi_prompt) || body.multi_prompt.length < 1 || body.multi_prompt.length > 6)
            )
              return fail(400, 1201, "multi_prompt takes 1 to 6 shots");
          }
          if (
            body.image_tail !== undefined &&
            (body.static_mask !== undefined || body.dynamic_masks !== undefined || body.camera_control !== undefined)
          )
            return fail(400, 1201, "image_tail, static_mask/dynamic_masks and camera_control cannot be combined");
        } else {
          if (typeof body.image_url !== "string" || typeof body.video_url !== "string")
            return fail(400, 1201, "image_url and video_url are required");
          if (body.character_orientation !== "image" && body.character_orientation !== "video")
            return fail(400, 1201, "character_orientation must be image or video");
          if (body.mode !== "std" && body.mode !== "pro") return fail(400, 1201, "mode must be std or pro");
          if (
            body.keep_original_sound !== undefined &&
            body.keep_original_sound !== "yes" &&
            body.keep_original_sound !== "no"
          )
            return fail(400, 1201, "keep_original_sound must be yes or no");
        }
        const externalId = typeof body.external_task_id === "string" ? body.external_task_id : undefined;
        if (
          externalId &&
          [...state.jobs.values()].some(
            (j) => j.provider === "kling" && isRecord(j.input) && j.input.external_task_id === externalId,
          )
        )
          return fail(400, 1201, "external_task_id already exists");
        const job = state.createJob("kling", {
          model: typeof body.model_name === "string" ? body.model_name : "kling-v3",
          kind,
          input: body,
          callbackUrl: typeof body.callback_url === "string" ? body.callback_url : undefined,
          flags: state.takeJobFaults("kling", request.markers),
        });
        return ok({
          task_id: job.id,
          task_status: "submitted",
          task_info: externalId ? { external_task_id: externalId } : {},
          created_at: job.createdAt,
          updated_at: job.updatedAt,
        });
      }
      // "Query Task (List)": pageNum 1–1000 (default 1), pageSize 1–500 (default 30), newest first.
      if (request.method === "GET" && request.path === base && !request.query.has("external_task_id")) {
        const pageNum = Number(request.query.get("pageNum") ?? 1);
        const pageSize = Number(request.query.get("pageSize") ?? 30);
        if (
          !Number.isInteger(pageNum) ||
          pageNum < 1 ||
          pageNum > 1000 ||
          !Number.isInteger(pageSize) ||
          pageSize < 1 ||
          pageSize > 500
        )
          return fail(400, 1201, "pageNum must be 1–1000 and pageSize 1–500");
        const tasks = [...state.jobs.values()].filter((j) => j.provider === "kling" && j.kind === kind).reverse();
        return ok(tasks.slice((pageNum - 1) * pageSize, pageNum * pageSize).map(taskObject));
      }
      if (request.method === "GET" && request.path === base && request.query.has("external_task_id")) {
        const externalId = request.query.get("external_task_id");
        const job = [...state.jobs.values()].find(
          (j) =>
            j.provider === "kling" && j.kind === kind && isRecord(j.input) && j.input.external_task_id === externalId,
        );
        if (!job) return fail(404, 1203, "task not found");
        return ok(taskObject(job));
      }
      if (request.method === "GET" && request.path.startsWith(`${base}/`)) {
        const job = state.getJob("kling", decodeURIComponent(request.path.slice(base.length + 1)));
        if (!job || job.kind !== kind) return fail(404, 1203, "task not found");
        state.poll(job);
        return ok(taskObject(job));
      }
      return undefined;
    },
  };
}
