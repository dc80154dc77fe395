// fal (queue API, queue.fal.run).
// Follows: docs.fal.ai "Queue" (submit / status / result / cancel), "Webhooks" (fal_webhook,
// payload, ED25519 verification against the JWKS) and "Errors" (X-Fal-Error-Type), as
// summarised in /work/shared/PROVIDERS.md and re-checked on 2026-11-29. Status and result live
// under the app id (owner/app) without the endpoint's sub-path, as fal's own client builds them.
// (unverified, configurable through `endpoints`): the v3 Kling and motion-control endpoint ids,
// the Veo first/last-frame endpoint, input field names per endpoint, Veo's duration as "8s",
// and the JWKS URL (default https://rest.alpha.fal.ai/.well-known/jwks.json).
// With `uploadMedia`, our media goes to fal's CDN first, as `fal.storage.upload` does it
// (POST {storage}/storage/upload/initiate?storage_type=fal-cdn-v3 {content_type, file_name} →
// {upload_url, file_url}; PUT the bytes to upload_url; the model gets file_url; docs.fal.ai
// "fal CDN"). Only for storage fal cannot reach: a CDN URL is public and outlives the job,
// where our own signed URL expires in minutes.
// Deleting a request's data (account deletion) follows the Platform API reference "Delete
// request payloads" (fal.ai/docs/platform-apis/v1/models/requests/payloads, read 2026-12-02):
// `DELETE https://api.fal.ai/v1/models/requests/{request_id}/payloads` with a key of ADMIN scope,
// optional `Idempotency-Key`; it removes the input and output payloads and the CDN files of the
// output (not input files fal's CDN holds, which we never upload: fal fetches our signed URLs),
// answering `{cdn_delete_results: [{link, exception}]}`.
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
  param,
  parseJsonWebhookBody,
  progressFromLogs,
  recordField,
  sendRequest,
  stringField,
  type HttpClientOptions,
  type ProviderResponse,
} from "../provider-http";
import { readOwnMedia } from "../own-media";
import { idSchema, parseShape } from "../provider-shapes";
import { FalJwksCache, verifyFalSignature } from "../webhook-signatures";

export interface FalEndpoints {
  klingStandard: string;
  klingPro: string;
  veo: string;
  veoFirstLast: string;
  seedance: string;
  motionStandard: string;
  motionPro: string;
}

export interface FalAdapterOptions extends HttpClientOptions {
  /** Default https://queue.fal.run */
  baseUrl?: string;
  apiKey: string;
  jwksUrl?: string;
  /** How long fetched public keys are trusted. Default 24 h. */
  jwksMaxAgeMs?: number;
  endpoints?: Partial<FalEndpoints>;
  /** Upload our media to fal's CDN and pass its public URLs instead of our signed URLs. Default false. */
  uploadMedia?: boolean;
  /** fal's REST host (storage uploads). Default https://rest.fal.ai */
  storageBaseUrl?: string;
  /** The largest file we upload in one PUT (the client goes multipart above 90 MB). Default 90 MB. */
  maxUploadBytes?: number;
  now?: () => number;
  /** fal's Platform API (deleting a request's data). Default https://api.fal.ai/v1 */
  platformBaseUrl?: string;
  /** A key of ADMIN scope, which deleting a request's data needs. Default: `apiKey` (when it has that scope). */
  adminApiKey?: string;
}

const PROVIDER = "fal";

// Shapes from the queue docs (and the official client's QueueStatus types).
const submitAnswerSchema = z.looseObject({ request_id: idSchema });
const statusSchema = z.discriminatedUnion("status", [
  z.looseObject({ status: z.literal("IN_QUEUE"), queue_position: z.number().int().nonnegative().optional() }),
  z.looseObject({
    status: z.literal("IN_PROGRESS"),
    logs: z
      .array(z.looseObject({ message: z.string() }))
      .nullable()
      .optional(),
  }),
  z.looseObject({ status: z.literal("COMPLETED"), error: z.string().nullable().optional() }),
]);
/** "Initiate upload": where to PUT the bytes and the URL the file will have. */
const initiatedUploadSchema = z.looseObject({ upload_url: z.string().min(1), file_url: z.string().min(1) });
/** The delete-payloads answer: one result per output CDN file (exception null when it went). */
const deletePayloadsSchema = z.looseObject({
  cdn_delete_results: z.array(z.looseObject({ link: z.string(), exception: z.string().nullable().optional() })),
});
/** Every video endpoint we use answers `{video: {url}}` (the client's File type). */
const videoOutputSchema = z.looseObject({ video: z.looseObject({ url: z.string().min(1) }) });

const defaultEndpoints: FalEndpoints = {
  klingStandard: "fal-ai/kling-video/v3/standard/image-to-video",
  klingPro: "fal-ai/kling-video/v3/pro/image-to-video",
  veo: "fal-ai/veo3.1/image-to-video",
  veoFirstLast: "fal-ai/veo3.1/first-last-frame-to-video",
  seedance: "bytedance/seedance-2.0/image-to-video",
  motionStandard: "fal-ai/kling-video/v3/standard/motion-control",
  motionPro: "fal-ai/kling-video/v3/pro/motion-control",
};

/** owner/app: the queue's status, result and cancel paths ignore the endpoint's sub-path. */
export function falAppId(endpoint: string): string {
  return endpoint.split("/").slice(0, 2).join("/");
}

export function createFalAdapter(options: FalAdapterOptions): ProviderAdapter {
  const baseUrl = options.baseUrl ?? "https://queue.fal.run";
  const now = options.now ?? Date.now;
  const endpoints = { ...defaultEndpoints, ...options.endpoints };
  const jwks = new FalJwksCache(
    options.jwksUrl ?? "https://rest.alpha.fal.ai/.well-known/jwks.json",
    options.fetch ?? fetch,
    options.jwksMaxAgeMs ?? 24 * 60 * 60 * 1000,
    now,
  );

  const appFor = (modelId: ModelId): string => {
    switch (modelId) {
      case "kling-3":
        return falAppId(endpoints.klingStandard);
      case "veo-3.1":
        return falAppId(endpoints.veo);
      case "seedance-2":
        return falAppId(endpoints.seedance);
      case "motion-control":
        return falAppId(endpoints.motionStandard);
      default:
        throw new ProviderError("invalid_input", `fal: no endpoint for ${modelId}`);
    }
  };

  async function call(
    method: string,
    url: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
    apiKey = options.apiKey,
  ): Promise<ProviderResponse> {
    const response = await sendRequest(
      PROVIDER,
      url,
      {
        method,
        headers: { authorization: `Key ${apiKey}`, "content-type": "application/json", ...extraHeaders },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      options,
    );
    return response;
  }

  async function uploadToCdn(url: string, mimeType: string | undefined, name: string): Promise<string> {
    const media = await readOwnMedia(PROVIDER, url, mimeType, {
      ...options,
      maxBytes: options.maxUploadBytes ?? 90 * 1024 * 1024,
      name,
    });
    const storage = options.storageBaseUrl ?? "https://rest.fal.ai";
    const initiated = await call("POST", `${joinUrl(storage, "storage/upload/initiate")}?storage_type=fal-cdn-v3`, {
      content_type: media.contentType,
      file_name: media.fileName,
    });
    if (initiated.status >= 400) throw falError(initiated);
    const target = parseShape(PROVIDER, "the upload answer", initiatedUploadSchema, initiated.json, initiated.status);
    // The upload URL is signed: it gets no key of ours. Its answer body is the object store's
    // (empty or XML), so only the status is read.
    let status: number;
    try {
      const put = await (options.fetch ?? fetch)(target.upload_url, {
        method: "PUT",
        headers: { "content-type": media.contentType },
        body: media.bytes,
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
      status = put.status;
      await put.arrayBuffer();
    } catch (error) {
      throw new ProviderError("transient", "fal: the upload did not complete", { cause: error });
    }
    if (status >= 400)
      throw new ProviderError(
        status >= 500 || status === 429 ? "transient" : "unknown",
        `fal: the upload was refused (HTTP ${status})`,
        { httpStatus: status },
      );
    return target.file_url;
  }

  /** The request with its media swapped for fal CDN URLs, when configured to upload. */
  async function withUploadedMedia(request: SubmitRequest): Promise<SubmitRequest> {
    if (!options.uploadMedia) return request;
    const { media } = request;
    return {
      ...request,
      media: {
        ...media,
        imageUrl: await uploadToCdn(media.imageUrl, media.imageMimeType, "image"),
        endFrameUrl:
          media.endFrameUrl === undefined ? undefined : await uploadToCdn(media.endFrameUrl, undefined, "end-frame"),
        referenceVideoUrl:
          media.referenceVideoUrl === undefined
            ? undefined
            : await uploadToCdn(media.referenceVideoUrl, undefined, "reference"),
      },
    };
  }

  function endpointAndInput(request: SubmitRequest): { endpoint: string; input: Record<string, unknown> } {
    const { params, media } = request;
    const prompt = request.prompt || undefined;
    const duration = param.num(params, "durationSeconds");
    switch (request.modelId) {
      case "kling-3":
        return {
          endpoint: param.str(params, "mode") === "pro" ? endpoints.klingPro : endpoints.klingStandard,
          input: compact({
            prompt,
            start_image_url: media.imageUrl,
            end_image_url: media.endFrameUrl,
            duration: duration === undefined ? undefined : String(duration),
            negative_prompt: param.str(params, "negativePrompt"),
            generate_audio: param.bool(params, "generateAudio"),
          }),
        };
      case "veo-3.1":
        return {
          endpoint: media.endFrameUrl ? endpoints.veoFirstLast : endpoints.veo,
          input: compact({
            prompt,
            ...(media.endFrameUrl
              ? { first_frame_url: media.imageUrl, last_frame_url: media.endFrameUrl }
              : { image_url: media.imageUrl }),
            aspect_ratio: param.str(params, "aspectRatio"),
            duration: duration === undefined ? undefined : `${duration}s`,
            resolution: param.str(params, "resolution"),
            generate_audio: param.bool(params, "generateAudio"),
            negative_prompt: param.str(params, "negativePrompt"),
            seed: param.num(params, "seed"),
          }),
        };
      case "seedance-2":
        return {
          endpoint: endpoints.seedance,
          input: compact({
            prompt,
            image_url: media.imageUrl,
            end_image_url: media.endFrameUrl,
            resolution: param.str(params, "resolution"),
            // fal calls "follow the photo" auto where BytePlus says adaptive.
            aspect_ratio: param.str(params, "aspectRatio") === "adaptive" ? "auto" : param.str(params, "aspectRatio"),
            duration: duration === undefined ? undefined : String(duration),
            camera_fixed: param.bool(params, "cameraFixed"),
            generate_audio: param.bool(params, "generateAudio"),
            seed: param.num(params, "seed"),
          }),
        };
      case "motion-control":
        if (!media.referenceVideoUrl)
          throw new ProviderError("invalid_input", "fal: motion control needs a reference video");
        return {
          endpoint: param.str(params, "mode") === "pro" ? endpoints.motionPro : endpoints.motionStandard,
          input: compact({
            prompt,
            image_url: media.imageUrl,
            video_url: media.referenceVideoUrl,
            character_orientation: param.str(params, "characterOrientation"),
            keep_original_sound: param.bool(params, "keepOriginalSound"),
          }),
        };
      default:
        throw new ProviderError("invalid_input", `fal: no endpoint for ${request.modelId}`);
    }
  }

  return {
    id: "fal",

    unsupportedReason(modelId: ModelId) {
      return modelId === "animate" ? "fal does not serve the in-house engine" : null;
    },

    async submit(request: SubmitRequest) {
      const { endpoint, input } = endpointAndInput(await withUploadedMedia(request));
      const query = request.webhookUrl ? `?fal_webhook=${encodeURIComponent(request.webhookUrl)}` : "";
      const response = await call("POST", `${joinUrl(baseUrl, endpoint)}${query}`, input);
      if (response.status >= 400) throw falError(response);
      return {
        providerJobId: parseShape(PROVIDER, "the submit answer", submitAnswerSchema, response.json, response.status)
          .request_id,
      };
    },

    async poll(modelId, providerJobId) {
      const base = joinUrl(baseUrl, `${appFor(modelId)}/requests/${encodeURIComponent(providerJobId)}`);
      // Logs (where progress is read from) come only when asked for.
      const statusResponse = await call("GET", `${base}/status?logs=1`);
      if (statusResponse.status >= 400) throw falError(statusResponse);
      const status = parseShape(
        PROVIDER,
        "the request status",
        statusSchema,
        statusResponse.json,
        statusResponse.status,
      );
      if (status.status === "IN_QUEUE")
        return status.queue_position === undefined
          ? { state: "queued" }
          : { state: "queued", queuePosition: status.queue_position };
      if (status.status === "IN_PROGRESS") {
        const progress = progressFromLogs((status.logs ?? []).map((entry) => entry.message).join("\n"));
        return progress === undefined ? { state: "running" } : { state: "running", progress };
      }
      const statusError = status.error ?? undefined;
      const result = await call("GET", base);
      // A 5xx or 429 on reading the result says nothing about the job: poll again later.
      if (result.status >= 500 || result.status === 429) throw falError(result);
      // A cancelled request completes without a result (unverified wording: matched loosely).
      if (result.status === 400 && /cancel/i.test(result.text)) return { state: "canceled" };
      if (result.status >= 400) return { state: "failed", error: falError(result) };
      if (statusError)
        return { state: "failed", error: new ProviderError(policyOr(statusError, "unknown"), `fal: ${statusError}`) };
      return {
        state: "succeeded",
        outputUrl: parseShape(PROVIDER, "the result", videoOutputSchema, result.json, result.status).video.url,
      };
    },

    async cancel(modelId, providerJobId) {
      const response = await call(
        "PUT",
        joinUrl(baseUrl, `${appFor(modelId)}/requests/${encodeURIComponent(providerJobId)}/cancel`),
      );
      // 400 ALREADY_COMPLETED and 404 NOT_FOUND both mean there is nothing left to stop.
      if (response.status >= 400 && response.status !== 400 && response.status !== 404) throw falError(response);
    },

    /**
     * Deletes the request's stored input and output and its output files on fal's CDN. The
     * request id is the idempotency key, so a retried call is one deletion. 404: fal no longer
     * has it. A file fal could not delete (an `exception` in its answer) is a failure worth
     * retrying.
     */
    async deleteJobData(_modelId, providerJobId) {
      const url = joinUrl(
        options.platformBaseUrl ?? "https://api.fal.ai/v1",
        `models/requests/${encodeURIComponent(providerJobId)}/payloads`,
      );
      const response = await call(
        "DELETE",
        url,
        undefined,
        { "idempotency-key": `delete-payloads:${providerJobId}` },
        options.adminApiKey ?? options.apiKey,
      );
      if (response.status === 404) return "not_found";
      if (response.status >= 400) throw falError(response);
      const answer = parseShape(
        PROVIDER,
        "the delete-payloads answer",
        deletePayloadsSchema,
        response.json,
        response.status,
      );
      const failed = answer.cdn_delete_results.filter((result) => result.exception);
      if (failed.length > 0)
        throw new ProviderError(
          "transient",
          `fal: ${failed.length} output file(s) of the request could not be deleted`,
          { httpStatus: response.status },
        );
      return "deleted";
    },

    async parseWebhook(request: WebhookRequest): Promise<ParsedWebhook> {
      await verifyFalSignature(jwks, request.headers, request.rawBody, now());
      const body = parseJsonWebhookBody(PROVIDER, request.rawBody);
      const requestId = stringField(body, "request_id");
      if (!requestId) throw new ProviderError("invalid_input", "fal: webhook without request_id");
      // The signature covers the request id header; the body must name the same request.
      if (requestId !== request.headers.get("x-fal-webhook-request-id"))
        throw new ProviderError("auth", "fal: webhook request id mismatch");
      const status = stringField(body, "status");
      let claimedStatus: JobStatus | undefined;
      if (status === "OK") claimedStatus = statusFromOutput(recordField(body, "payload"));
      else if (status === "ERROR") {
        const message = stringField(body, "error") ?? "request failed";
        claimedStatus = {
          state: "failed",
          error: new ProviderError(
            policyOr(JSON.stringify(isRecord(body) ? (body.payload ?? "") : "") + message, "unknown"),
            `fal: ${message}`,
          ),
        };
      }
      return { providerJobId: requestId, claimedStatus, verified: true };
    },
  };
}

function policyOr(message: string, fallback: ProviderErrorKind): ProviderErrorKind {
  return /content_policy_violation/.test(message) || CONTENT_POLICY_WORDS.test(message) ? "content_policy" : fallback;
}

/** A webhook's payload: a body we cannot read claims nothing (the job is polled instead). */
function statusFromOutput(output: unknown): JobStatus | undefined {
  const parsed = videoOutputSchema.safeParse(output);
  return parsed.success ? { state: "succeeded", outputUrl: parsed.data.video.url } : undefined;
}

function falError(response: ProviderResponse): ProviderError {
  const errorType = response.headers.get("x-fal-error-type") ?? undefined;
  let kind = kindFromHttpStatus(response.status);
  let message: string | undefined;
  const detail = isRecord(response.json) ? response.json.detail : undefined;
  if (Array.isArray(detail)) {
    message = detail
      .map((d) => stringField(d, "msg") ?? "")
      .filter(Boolean)
      .join("; ");
    if (detail.some((d) => stringField(d, "type") === "content_policy_violation")) kind = "content_policy";
  } else if (typeof detail === "string") {
    message = detail;
  }
  if (response.status === 403 && message && /balance|locked|billing/i.test(message)) kind = "quota";
  if (errorType) kind = response.status === 429 ? "rate_limited" : "transient";
  return errorFromHttp(PROVIDER, response, kind, message ?? errorType, errorType);
}
