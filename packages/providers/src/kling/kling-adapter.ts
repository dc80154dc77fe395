// Kling (Kuaishou) direct API adapter.
// Follows: Kling AI developer docs (app.klingai.com/global/dev/document-api: "API authentication",
// "Image to Video", "Motion Control", "Callback protocol", "Error codes"), as summarised in
// /work/shared/PROVIDERS.md, cross-checked on 2026-11-29 against the Vercel AI SDK's KlingAI
// provider (model_name "kling-v3" for 3.0 image-to-video and motion control; `sound` "on"/"off";
// `keep_original_sound` "yes"/"no"; mode, video_url and character_orientation required for motion
// control; no seed, resolution or aspect ratio on image-to-video; GET …?external_task_id= finds a
// task by our own id, which makes submit safe to retry).
// (unverified): the single-API-key "API 2.0" auth (kept pluggable through `auth`); `sound` on
// kling-v3 image2video (switch off with `supportsSound: false`, which removes the route when
// sound is asked for).
import { createHmac } from "node:crypto";
import type { ModelId } from "@animateimg/catalog";
import { z } from "zod";
import {
  ProviderError,
  type JobStatus,
  type ParsedWebhook,
  type ProviderAdapter,
  type SubmitRequest,
  type WebhookRequest,
} from "../adapter";
import {
  compact,
  CONTENT_POLICY_WORDS,
  errorFromHttp,
  isRecord,
  joinUrl,
  kindFromHttpStatus,
  numberField,
  param,
  parseJsonWebhookBody,
  sendRequest,
  stringField,
  type HttpClientOptions,
  type ProviderResponse,
} from "../provider-http";
import { idSchema, parseShape } from "../provider-shapes";
import type { ProviderErrorKind } from "../adapter";

/** Produces the Authorization header value; called before every request. */
export type KlingAuth = () => string | Promise<string>;

export interface KlingAdapterOptions extends HttpClientOptions {
  /** e.g. https://api-singapore.klingai.com (global) or https://api-beijing.klingai.com */
  baseUrl: string;
  accessKey?: string;
  secretKey?: string;
  /** Replaces the JWT auth, e.g. `() => "Bearer " + apiKey` for API 2.0 keys (unverified). */
  auth?: KlingAuth;
  /** model_name for Kling 3.0 image-to-video. */
  imageToVideoModel?: string;
  /** model_name for motion control. Default kling-v3. */
  motionControlModel?: string;
  /** Whether image2video takes `sound` (default true); when false, generateAudio=true removes this route. */
  supportsSound?: boolean;
  /** Clock for JWT claims (tests). */
  now?: () => number;
}

/** JWT HS256 with claims {iss, exp: now+1800, nbf: now-5}, as Kling's auth guide prescribes. */
export function createKlingJwt(accessKey: string, secretKey: string, nowSeconds: number): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const header = encode({ alg: "HS256", typ: "JWT" });
  const payload = encode({ iss: accessKey, exp: nowSeconds + 1800, nbf: nowSeconds - 5 });
  const signature = createHmac("sha256", secretKey).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

function jwtAuth(accessKey: string, secretKey: string, now: () => number): KlingAuth {
  let cached: { token: string; expiresAt: number } | undefined;
  return () => {
    const nowSeconds = Math.floor(now() / 1000);
    // Reuse a token until 5 minutes before it expires: one HMAC per request is cheap, but a
    // stable token keeps request logs readable.
    if (!cached || cached.expiresAt - nowSeconds < 300) {
      cached = { token: createKlingJwt(accessKey, secretKey, nowSeconds), expiresAt: nowSeconds + 1800 };
    }
    return `Bearer ${cached.token}`;
  };
}

const PROVIDER = "kling";

// The task object of "Query Task (Single)" (also the create answer's data and the callback body).
const taskSchema = z.looseObject({
  task_id: idSchema,
  task_status: z.enum(["submitted", "processing", "succeed", "failed"]),
  task_status_msg: z.string().optional(),
  task_result: z.looseObject({ videos: z.array(z.looseObject({ url: z.string().min(1) })) }).optional(),
});
type KlingTask = z.output<typeof taskSchema>;
/** Every answer: {code, message, request_id, data}; code 0 is success. */
const envelopeSchema = z.looseObject({ code: z.number(), message: z.string().optional(), data: z.unknown() });

export function createKlingAdapter(options: KlingAdapterOptions): ProviderAdapter {
  const now = options.now ?? Date.now;
  const auth =
    options.auth ??
    (options.accessKey && options.secretKey
      ? jwtAuth(options.accessKey, options.secretKey, now)
      : () => {
          throw new ProviderError("auth", "kling: no credentials configured");
        });
  const imageToVideoModel = options.imageToVideoModel ?? "kling-v3";
  const motionControlModel = options.motionControlModel ?? "kling-v3";
  const supportsSound = options.supportsSound ?? true;

  const pathFor = (modelId: ModelId) =>
    modelId === "motion-control" ? "v1/videos/motion-control" : "v1/videos/image2video";

  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await sendRequest(
      PROVIDER,
      joinUrl(options.baseUrl, path),
      {
        method,
        headers: { authorization: await auth(), "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      options,
    );
    const code = numberField(response.json, "code");
    if (response.status >= 400 || (code !== undefined && code !== 0)) throw klingError(response, code);
    return parseShape(PROVIDER, "the answer", envelopeSchema, response.json, response.status).data;
  }

  /** The task we created with this external id; undefined when Kling knows none (404 / 1203). */
  async function findByExternalId(path: string, externalId: string): Promise<string | undefined> {
    try {
      const data = await call("GET", `${path}?external_task_id=${encodeURIComponent(externalId)}`);
      return parseShape(
        PROVIDER,
        "the task found by external_task_id",
        taskSchema.pick({ task_id: true }).loose(),
        data,
      ).task_id;
    } catch (error) {
      if (error instanceof ProviderError && (error.httpStatus === 404 || error.providerCode === "1203"))
        return undefined;
      throw error;
    }
  }

  return {
    id: "kling",

    unsupportedReason(modelId, params) {
      if (modelId === "kling-3") {
        if (param.bool(params, "generateAudio") === true && !supportsSound)
          return "Kling's direct image-to-video API has no sound option";
        return null;
      }
      if (modelId === "motion-control") return null;
      return `Kling's direct API does not serve ${modelId}`;
    },

    async submit(request: SubmitRequest) {
      const { params, media } = request;
      let body: Record<string, unknown>;
      if (request.modelId === "motion-control") {
        if (!media.referenceVideoUrl)
          throw new ProviderError("invalid_input", "kling: motion control needs a reference video");
        body = compact({
          model_name: motionControlModel,
          image_url: media.imageUrl,
          video_url: media.referenceVideoUrl,
          character_orientation: param.str(params, "characterOrientation"),
          mode: param.str(params, "mode"),
          keep_original_sound: param.bool(params, "keepOriginalSound") === false ? "no" : "yes",
          prompt: request.prompt || undefined,
          callback_url: request.webhookUrl,
          external_task_id: externalTaskId(request),
        });
      } else {
        const duration = param.num(params, "durationSeconds");
        body = compact({
          model_name: imageToVideoModel,
          image: media.imageUrl,
          image_tail: media.endFrameUrl,
          prompt: request.prompt || undefined,
          negative_prompt: param.str(params, "negativePrompt"),
          mode: param.str(params, "mode"),
          duration: duration === undefined ? undefined : String(duration),
          sound: supportsSound ? (param.bool(params, "generateAudio") ? "on" : "off") : undefined,
          callback_url: request.webhookUrl,
          external_task_id: externalTaskId(request),
        });
      }
      const path = pathFor(request.modelId);
      let data: unknown;
      try {
        data = await call("POST", path, body);
      } catch (error) {
        // A resubmit (after a lost answer) that meets its own earlier task: that task is ours.
        // A lost answer itself is looked up by the caller through findJob before any resubmit.
        const duplicate = error instanceof ProviderError && /external_task_id/i.test(error.message);
        const existing = duplicate ? await findByExternalId(path, externalTaskId(request)) : undefined;
        if (existing) return { providerJobId: existing };
        throw error;
      }
      return {
        providerJobId: parseShape(PROVIDER, "the create answer", taskSchema.pick({ task_id: true }).loose(), data)
          .task_id,
      };
    },

    findJob(request: SubmitRequest) {
      return findByExternalId(pathFor(request.modelId), externalTaskId(request));
    },

    async poll(modelId, providerJobId) {
      const data = await call("GET", `${pathFor(modelId)}/${encodeURIComponent(providerJobId)}`);
      return statusFromTask(parseShape(PROVIDER, "the task", taskSchema, data));
    },

    cancel() {
      // Kling documents no way to cancel a task; it runs to its end and is billed only on success.
      return Promise.resolve();
    },

    parseWebhook(request: WebhookRequest): Promise<ParsedWebhook> {
      // Unsigned callback (body = task object): trust nothing, the workflow re-polls.
      const body = parseJsonWebhookBody(PROVIDER, request.rawBody);
      const task = isRecord(body) && isRecord(body.data) ? body.data : body;
      const taskId = stringField(task, "task_id");
      if (!taskId) throw new ProviderError("invalid_input", "kling: callback without task_id");
      return Promise.resolve({ providerJobId: taskId, claimedStatus: safeStatus(task), verified: false });
    },
  };
}

/**
 * Unique per attempt (Kling refuses a reused external id) and lets a lost task be found again by
 * our own id. The generation id is a random UUID: it says nothing about the person.
 */
function externalTaskId(request: SubmitRequest): string {
  return `${request.generationId}-${request.attempt}`;
}

/** A callback body we cannot read claims nothing (and an unsigned one is only a hint anyway). */
function safeStatus(task: unknown): JobStatus | undefined {
  const parsed = taskSchema.safeParse(task);
  return parsed.success ? statusFromTask(parsed.data) : undefined;
}

function statusFromTask(task: KlingTask): JobStatus {
  switch (task.task_status) {
    case "submitted":
      return { state: "queued" };
    case "processing":
      return { state: "running" };
    case "succeed": {
      const url = task.task_result?.videos[0]?.url;
      if (!url)
        return {
          state: "failed",
          error: new ProviderError("provider_protocol", "kling: task succeeded without a video"),
        };
      return { state: "succeeded", outputUrl: url };
    }
    case "failed": {
      const message = task.task_status_msg ?? "task failed";
      const kind: ProviderErrorKind = CONTENT_POLICY_WORDS.test(message) ? "content_policy" : "unknown";
      return { state: "failed", error: new ProviderError(kind, `kling: ${message}`) };
    }
  }
}

/** Kling's error table: the business code decides, the HTTP status is the fallback. */
function klingError(response: ProviderResponse, code: number | undefined): ProviderError {
  const message = stringField(response.json, "message");
  let kind: ProviderErrorKind;
  if (code === undefined) kind = kindFromHttpStatus(response.status);
  else if (code >= 1000 && code <= 1004) kind = "auth";
  else if (code >= 1100 && code <= 1102) kind = "quota";
  else if (code === 1103) kind = "auth";
  else if (code >= 1200 && code <= 1203) kind = "invalid_input";
  else if (code === 1300 || code === 1301) kind = "content_policy";
  else if (code === 1302 || code === 1303) kind = "rate_limited";
  else if (code >= 5000 && code <= 5002) kind = "transient";
  else kind = response.status >= 400 ? kindFromHttpStatus(response.status) : "unknown";
  const error = errorFromHttp(PROVIDER, response, kind, message, code === undefined ? undefined : String(code));
  // Concurrency limits come without Retry-After; the docs ask for at least a second of back-off.
  if (kind === "rate_limited" && error.retryAfterMs === undefined)
    return new ProviderError(kind, error.message, {
      httpStatus: response.status,
      providerCode: error.providerCode,
      retryAfterMs: 1000,
    });
  return error;
}
