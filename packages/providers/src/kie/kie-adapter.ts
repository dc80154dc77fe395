// Kie (aggregator, api.kie.ai): Veo 3.1 through its Veo endpoints, Kling 3.0, Seedance 2 and
// motion control through its market createTask/recordInfo endpoints.
// Follows: docs.kie.ai ("Veo3.1 API: Generate / Get details", "Market: createTask / recordInfo",
// "Webhook Security Verification", "Common error codes"), as summarised in
// /work/shared/PROVIDERS.md and re-checked on 2026-11-29. Every answer is {code, msg, data};
// HTTP 200 with code != 200 is a failure. A task accepted at submit can still fail moderation:
// that shows up as a failed poll classified content_policy.
// (unverified, configurable or conservative): model names (`veo3`, `kling-3.0/video`,
// `bytedance/seedance-2`, `kling-3.0/motion-control`); that Kie's Veo renders 8 s at 720p only
// with sound always on and seeds in 10000–99999; that market Kling takes no negative prompt and
// Seedance no seed/camera_fixed; that motion control always keeps the reference sound; that
// Seedance's duration is a number while Kling's is a string (documented "3"–"15"). Kie offers
// no cancel endpoint.
import type { ModelId } from "@animateimg/catalog";
import { z } from "zod";
import {
  ProviderError,
  type JobStatus,
  type ParsedWebhook,
  type ProviderAdapter,
  type ProviderErrorKind,
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
  recordField,
  sendRequest,
  stringField,
  type HttpClientOptions,
  type ProviderResponse,
} from "../provider-http";
import { idSchema, parseShape } from "../provider-shapes";
import { verifyKieSignature } from "../webhook-signatures";

export interface KieAdapterOptions extends HttpClientOptions {
  /** Default https://api.kie.ai */
  baseUrl?: string;
  apiKey: string;
  /** webhookHmacKey from Kie's settings page; when set, unsigned or forged callbacks are refused. */
  webhookHmacKey?: string;
  models?: Partial<{ veo: string; kling: string; seedance: string; motionControl: string }>;
  now?: () => number;
}

const PROVIDER = "kie";

/** Every answer: {code, msg (or message), data}; code 200 is success. */
const envelopeSchema = z.looseObject({ code: z.number(), data: z.unknown() });
const createdSchema = z.looseObject({ taskId: idSchema });
const codeSchema = z
  .union([z.string(), z.number().transform(String)])
  .nullable()
  .optional();
/** "Get Veo3.1 Video Details". */
const veoRecordSchema = z.looseObject({
  taskId: idSchema,
  successFlag: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  response: z
    .looseObject({ resultUrls: z.array(z.string()).optional() })
    .nullable()
    .optional(),
  errorCode: codeSchema,
  errorMessage: z.string().nullable().optional(),
});
/** Market "Get Task Details". */
const marketRecordSchema = z.looseObject({
  taskId: idSchema,
  state: z.enum(["waiting", "queuing", "generating", "success", "fail"]),
  resultJson: z.string().nullable().optional(),
  failCode: codeSchema,
  failMsg: z.string().nullable().optional(),
});
/** Kie's motion control with character_orientation "image": the reference video's longest length. */
export const KIE_MOTION_IMAGE_ORIENTATION_MAX_SECONDS = 10;
const KIE_VEO_SEED_MIN = 10_000;
const KIE_VEO_SEED_MAX = 99_999;

export function createKieAdapter(options: KieAdapterOptions): ProviderAdapter {
  const baseUrl = options.baseUrl ?? "https://api.kie.ai";
  const now = options.now ?? Date.now;
  const models = {
    veo: "veo3",
    kling: "kling-3.0/video",
    seedance: "bytedance/seedance-2",
    motionControl: "kling-3.0/motion-control",
    ...options.models,
  };

  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await sendRequest(
      PROVIDER,
      joinUrl(baseUrl, path),
      {
        method,
        headers: { authorization: `Bearer ${options.apiKey}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      options,
    );
    const code = numberField(response.json, "code");
    if (response.status >= 400 || (code !== undefined && code !== 200)) throw kieError(response, code);
    return parseShape(PROVIDER, "the answer", envelopeSchema, response.json, response.status).data;
  }

  function marketInput(request: SubmitRequest): { model: string; input: Record<string, unknown> } {
    const { params, media } = request;
    const prompt = request.prompt || undefined;
    switch (request.modelId) {
      case "kling-3": {
        const duration = param.num(params, "durationSeconds");
        return {
          model: models.kling,
          input: compact({
            prompt,
            image_urls: media.endFrameUrl ? [media.imageUrl, media.endFrameUrl] : [media.imageUrl],
            mode: param.str(params, "mode"),
            duration: duration === undefined ? undefined : String(duration),
            sound: param.bool(params, "generateAudio"),
          }),
        };
      }
      case "seedance-2":
        return {
          model: models.seedance,
          input: compact({
            prompt,
            first_frame_url: media.imageUrl,
            last_frame_url: media.endFrameUrl,
            generate_audio: param.bool(params, "generateAudio"),
            resolution: param.str(params, "resolution"),
            aspect_ratio: param.str(params, "aspectRatio"),
            duration: param.num(params, "durationSeconds"),
          }),
        };
      case "motion-control":
        if (!media.referenceVideoUrl)
          throw new ProviderError("invalid_input", "kie: motion control needs a reference video");
        return {
          model: models.motionControl,
          input: compact({
            prompt,
            input_urls: [media.imageUrl],
            video_urls: [media.referenceVideoUrl],
            character_orientation: param.str(params, "characterOrientation"),
            mode: param.str(params, "mode"),
          }),
        };
      default:
        throw new ProviderError("invalid_input", `kie: no market model for ${request.modelId}`);
    }
  }

  return {
    id: "kie",

    unsupportedReason(modelId: ModelId, params, media) {
      switch (modelId) {
        case "veo-3.1": {
          // Kie's Veo and Kling refuse a request without a prompt (their docs mark it required).
          if (media.hasPrompt === false) return "Kie's Veo needs a prompt";
          if (param.num(params, "durationSeconds") !== 8) return "Kie's Veo renders 8-second videos only";
          if (param.str(params, "resolution") === "1080p")
            return "Kie's Veo renders 720p (1080p is a separate upgrade call)";
          if (param.bool(params, "generateAudio") === false) return "Kie's Veo always generates sound";
          if (param.str(params, "negativePrompt")) return "Kie's Veo takes no negative prompt";
          const seed = param.num(params, "seed");
          if (seed !== undefined && (seed < KIE_VEO_SEED_MIN || seed > KIE_VEO_SEED_MAX))
            return `Kie's Veo takes seeds from ${KIE_VEO_SEED_MIN} to ${KIE_VEO_SEED_MAX}`;
          return null;
        }
        case "kling-3":
          if (media.hasPrompt === false) return "Kie's Kling 3.0 needs a prompt";
          return param.str(params, "negativePrompt") ? "Kie's Kling 3.0 takes no negative prompt" : null;
        case "seedance-2":
          if (param.num(params, "seed") !== undefined) return "Kie's Seedance takes no seed";
          if (param.bool(params, "cameraFixed") === true) return "Kie's Seedance has no fixed-camera option";
          return null;
        case "motion-control":
          if (param.bool(params, "keepOriginalSound") === false)
            return "Kie's motion control always keeps the reference sound";
          // Kie's Kling motion control takes up to 30 s when the character follows the video, but
          // only 10 s when it keeps the photo's orientation: decided here from the probed length,
          // before any submit, so the job goes to a route that takes it instead of failing there.
          if (
            param.str(params, "characterOrientation") !== "video" &&
            media.referenceVideoSeconds !== undefined &&
            media.referenceVideoSeconds > KIE_MOTION_IMAGE_ORIENTATION_MAX_SECONDS
          )
            return `Kie's motion control takes reference videos up to ${KIE_MOTION_IMAGE_ORIENTATION_MAX_SECONDS} s when the character keeps the photo's orientation`;
          return null;
        default:
          return `Kie does not serve ${modelId}`;
      }
    },

    async submit(request: SubmitRequest) {
      let data: unknown;
      if (request.modelId === "veo-3.1") {
        const { params, media } = request;
        data = await call(
          "POST",
          "api/v1/veo/generate",
          compact({
            prompt: request.prompt,
            imageUrls: media.endFrameUrl ? [media.imageUrl, media.endFrameUrl] : [media.imageUrl],
            model: models.veo,
            generationType: "FIRST_AND_LAST_FRAMES_2_VIDEO",
            aspectRatio: param.str(params, "aspectRatio"),
            seeds: param.num(params, "seed"),
            callBackUrl: request.webhookUrl,
          }),
        );
      } else {
        const { model, input } = marketInput(request);
        data = await call("POST", "api/v1/jobs/createTask", compact({ model, callBackUrl: request.webhookUrl, input }));
      }
      return { providerJobId: parseShape(PROVIDER, "the create answer", createdSchema, data).taskId };
    },

    async poll(modelId, providerJobId) {
      const query = `taskId=${encodeURIComponent(providerJobId)}`;
      if (modelId === "veo-3.1")
        return veoStatus(
          parseShape(PROVIDER, "the Veo task", veoRecordSchema, await call("GET", `api/v1/veo/record-info?${query}`)),
        );
      return marketStatus(
        parseShape(PROVIDER, "the task", marketRecordSchema, await call("GET", `api/v1/jobs/recordInfo?${query}`)),
      );
    },

    cancel() {
      return Promise.resolve();
    },

    parseWebhook(request: WebhookRequest): Promise<ParsedWebhook> {
      const body = parseJsonWebhookBody(PROVIDER, request.rawBody);
      const data = recordField(body, "data");
      const taskId = stringField(data, "taskId") ?? stringField(data, "task_id") ?? stringField(body, "taskId");
      if (!taskId) return Promise.reject(new ProviderError("invalid_input", "kie: callback without taskId"));
      if (options.webhookHmacKey) {
        try {
          verifyKieSignature(options.webhookHmacKey, taskId, request.headers, now());
        } catch (error) {
          return Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
      // The signature covers the task id only, never the body: the status is a hint to re-poll.
      // A body we cannot read claims nothing.
      const veo = veoRecordSchema.safeParse(data);
      const market = marketRecordSchema.safeParse(data);
      const claimedStatus = veo.success ? veoStatus(veo.data) : market.success ? marketStatus(market.data) : undefined;
      return Promise.resolve({ providerJobId: taskId, claimedStatus, verified: false });
    },
  };
}

function failureKind(code: string | undefined, message: string): ProviderErrorKind {
  if (CONTENT_POLICY_WORDS.test(message)) return "content_policy";
  if (code === "400" || code === "422") return "invalid_input";
  if (code === "500" || code === "501" || code === "455") return "transient";
  return "unknown";
}

function veoStatus(data: z.output<typeof veoRecordSchema>): JobStatus {
  if (data.successFlag === 0) return { state: "running" };
  if (data.successFlag === 1) {
    const url = data.response?.resultUrls?.[0];
    if (url === undefined)
      return { state: "failed", error: new ProviderError("provider_protocol", "kie: success without resultUrls") };
    return { state: "succeeded", outputUrl: url };
  }
  const code = data.errorCode ?? undefined;
  const message = data.errorMessage || "generation failed";
  return {
    state: "failed",
    error: new ProviderError(failureKind(code, message), `kie: ${message}`, { providerCode: code }),
  };
}

function marketStatus(data: z.output<typeof marketRecordSchema>): JobStatus {
  switch (data.state) {
    case "waiting":
    case "queuing":
      return { state: "queued" };
    case "generating":
      return { state: "running" };
    case "success": {
      let url: unknown;
      try {
        const parsed: unknown = JSON.parse(data.resultJson ?? "{}");
        url = isRecord(parsed) && Array.isArray(parsed.resultUrls) ? parsed.resultUrls[0] : undefined;
      } catch {
        url = undefined;
      }
      if (typeof url !== "string")
        return { state: "failed", error: new ProviderError("provider_protocol", "kie: success without resultUrls") };
      return { state: "succeeded", outputUrl: url };
    }
    case "fail": {
      const code = data.failCode ?? undefined;
      const message = data.failMsg || "generation failed";
      return {
        state: "failed",
        error: new ProviderError(failureKind(code, message), `kie: ${message}`, { providerCode: code }),
      };
    }
  }
}

/** Kie's codes live in the body (HTTP is often 200); the HTTP status is the fallback. */
function kieError(response: ProviderResponse, code: number | undefined): ProviderError {
  // Most pages document `msg`; the market's task details page documents `message`.
  const message = stringField(response.json, "msg") ?? stringField(response.json, "message");
  const effective = code ?? response.status;
  let kind: ProviderErrorKind;
  switch (effective) {
    case 401:
      kind = "auth";
      break;
    case 402:
      kind = "quota";
      break;
    case 404:
    case 422:
    case 505: // feature disabled for this account or model
      kind = "invalid_input";
      break;
    case 429:
      kind = "rate_limited";
      break;
    case 455: // maintenance
    case 500:
    case 501:
      kind = "transient";
      break;
    default:
      kind = response.status >= 400 ? kindFromHttpStatus(response.status) : "unknown";
  }
  if ((kind === "invalid_input" || kind === "unknown") && message && CONTENT_POLICY_WORDS.test(message))
    kind = "content_policy";
  const error = errorFromHttp(
    PROVIDER,
    { ...response, status: response.status },
    kind,
    message,
    code === undefined ? undefined : String(code),
  );
  // Kie drops requests over 20 per 10 s: without a Retry-After, waiting out the window is right.
  if (kind === "rate_limited" && error.retryAfterMs === undefined)
    return new ProviderError(kind, error.message, {
      httpStatus: response.status,
      providerCode: error.providerCode,
      retryAfterMs: 10_000,
    });
  return error;
}
