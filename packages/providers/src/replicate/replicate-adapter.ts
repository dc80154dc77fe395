// Replicate (predictions API, api.replicate.com).
// Follows: replicate.com/docs/reference/http ("Create a prediction using an official model",
// "Get a prediction", "Cancel a prediction"), /docs/topics/webhooks (+ "Verify webhooks",
// Standard Webhooks) and the RFC 7807 error format, as summarised in /work/shared/PROVIDERS.md
// and re-checked on 2026-11-29. Only the "completed" event is requested: it is the one Replicate
// retries, and the workflow polls for progress anyway.
// (unverified, configurable through `models`): the model slugs, Kling's `mode` values
// ("standard"/"pro"), and Seedance 2.0's input names (taken from Seedance 1's model page).
// Replicate hosts no motion-control model in our catalog's routes.
// Finding a prediction whose create answer was lost: Replicate takes no id of ours, but "List
// predictions" (GET /v1/predictions, newest first, 100 a page, `next` cursor URL,
// `created_after`) returns each prediction's `input`. We add our attempt's reference to the input
// under `referenceInputKey` and match on it. Replicate has always ignored input fields a model
// does not declare (cog#2943 keeps it so) (unverified: that the listing echoes such a field;
// set `referenceInputKey: null` to send none, which makes a lost create an uncertain job).
// With `uploadMedia`, our photo (and end frame) go to Replicate as files ("Create a file", POST
// /v1/files, multipart `content` + `metadata`) and the model gets each file's `urls.get`, as the
// official client does with a local file: our signed URL never leaves, and storage Replicate
// cannot reach still works. Files carry no metadata of ours and expire on Replicate's side.
import { createHash } from "node:crypto";
import type { ModelId } from "@animateimg/catalog";
import { z } from "zod";
import {
  ProviderError,
  type FindJobOptions,
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
  sendRequest,
  stringField,
  type HttpClientOptions,
  type ProviderResponse,
} from "../provider-http";
import { readOwnMedia } from "../own-media";
import { idSchema, parseShape } from "../provider-shapes";
import { verifyStandardWebhook } from "../webhook-signatures";

export interface ReplicateAdapterOptions extends HttpClientOptions {
  /** Default https://api.replicate.com */
  baseUrl?: string;
  apiToken: string;
  /** The account's `whsec_…` signing secret (GET /v1/webhooks/default/secret). Without it, callbacks are treated as unsigned. */
  webhookSecret?: string;
  /** Cancel-After header, e.g. "30m": Replicate stops a prediction that runs past it. */
  cancelAfter?: string;
  models?: Partial<{ kling: string; veo: string; seedance: string }>;
  /** Input field carrying our attempt's reference, matched in the prediction list. Default `animateimg_ref`; null sends none. */
  referenceInputKey?: string | null;
  /** How many list pages (100 predictions each) a lookup reads at most. Default 10. */
  maxListPages?: number;
  /** Upload our media as Replicate files and pass their URLs instead of our signed URLs. Default false. */
  uploadMedia?: boolean;
  /** The largest file we upload. Default 100 MB (Replicate's documented limit for file inputs, unverified). */
  maxUploadBytes?: number;
  now?: () => number;
}

const PROVIDER = "replicate";

/** A prediction as "Get a prediction" documents it (the fields we read; others pass through). */
const predictionSchema = z.looseObject({
  id: idSchema,
  status: z.enum(["starting", "processing", "succeeded", "failed", "canceled", "aborted"]),
  model: z.string().optional(),
  input: z.record(z.string(), z.unknown()).optional(),
  output: z.unknown().optional(),
  error: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .nullable()
    .optional(),
  logs: z.string().nullable().optional(),
});
type Prediction = z.output<typeof predictionSchema>;
/** "Create a file": the fields we read (the id, and the URL a model input takes). */
const fileSchema = z.looseObject({ id: idSchema, urls: z.looseObject({ get: z.string().min(1) }) });
/** "List predictions": a page of predictions and the cursor URLs. */
const predictionPageSchema = z.looseObject({
  next: z.string().nullable().optional(),
  previous: z.string().nullable().optional(),
  results: z.array(predictionSchema),
});

export function createReplicateAdapter(options: ReplicateAdapterOptions): ProviderAdapter {
  const baseUrl = options.baseUrl ?? "https://api.replicate.com";
  const now = options.now ?? Date.now;
  const models = {
    kling: "kwaivgi/kling-v3-video",
    veo: "google/veo-3.1",
    seedance: "bytedance/seedance-2.0",
    ...options.models,
  };
  const referenceKey = options.referenceInputKey === undefined ? "animateimg_ref" : options.referenceInputKey;
  const maxListPages = options.maxListPages ?? 10;

  async function call(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<unknown> {
    const response = await sendRequest(
      PROVIDER,
      /^https?:\/\//.test(path) ? path : joinUrl(baseUrl, path),
      {
        method,
        headers: { authorization: `Bearer ${options.apiToken}`, "content-type": "application/json", ...extraHeaders },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      options,
    );
    if (response.status >= 400) throw replicateError(response);
    return response.json;
  }

  async function uploadFile(url: string, mimeType: string | undefined, name: string): Promise<string> {
    const media = await readOwnMedia(PROVIDER, url, mimeType, {
      ...options,
      maxBytes: options.maxUploadBytes ?? 100 * 1024 * 1024,
      name,
    });
    const form = new FormData();
    form.append("content", new Blob([media.bytes], { type: media.contentType }), media.fileName);
    form.append("metadata", new Blob(["{}"], { type: "application/json" }));
    // No content-type of ours: fetch writes the multipart boundary.
    const response = await sendRequest(
      PROVIDER,
      joinUrl(baseUrl, "v1/files"),
      { method: "POST", headers: { authorization: `Bearer ${options.apiToken}` }, body: form },
      options,
    );
    if (response.status >= 400) throw replicateError(response);
    return parseShape(PROVIDER, "the created file", fileSchema, response.json, response.status).urls.get;
  }

  /** The request with its media swapped for Replicate file URLs, when configured to upload. */
  async function withUploadedMedia(request: SubmitRequest): Promise<SubmitRequest> {
    if (!options.uploadMedia) return request;
    const { media } = request;
    return {
      ...request,
      media: {
        ...media,
        imageUrl: await uploadFile(media.imageUrl, media.imageMimeType, "image"),
        endFrameUrl:
          media.endFrameUrl === undefined ? undefined : await uploadFile(media.endFrameUrl, undefined, "end-frame"),
      },
    };
  }

  function modelAndInput(request: SubmitRequest): { model: string; input: Record<string, unknown> } {
    const { params, media } = request;
    switch (request.modelId) {
      case "kling-3":
        return {
          model: models.kling,
          input: compact({
            prompt: request.prompt,
            start_image: media.imageUrl,
            end_image: media.endFrameUrl,
            mode: param.str(params, "mode") === "pro" ? "pro" : "standard",
            duration: param.num(params, "durationSeconds"),
            generate_audio: param.bool(params, "generateAudio"),
            negative_prompt: param.str(params, "negativePrompt"),
          }),
        };
      case "veo-3.1":
        return {
          model: models.veo,
          input: compact({
            prompt: request.prompt,
            image: media.imageUrl,
            last_frame: media.endFrameUrl,
            aspect_ratio: param.str(params, "aspectRatio"),
            duration: param.num(params, "durationSeconds"),
            resolution: param.str(params, "resolution"),
            generate_audio: param.bool(params, "generateAudio"),
            negative_prompt: param.str(params, "negativePrompt"),
            seed: param.num(params, "seed"),
          }),
        };
      case "seedance-2":
        return {
          model: models.seedance,
          input: compact({
            prompt: request.prompt,
            image: media.imageUrl,
            last_frame_image: media.endFrameUrl,
            duration: param.num(params, "durationSeconds"),
            resolution: param.str(params, "resolution"),
            // With an image, leaving the ratio out follows the photo (our "adaptive").
            aspect_ratio:
              param.str(params, "aspectRatio") === "adaptive" ? undefined : param.str(params, "aspectRatio"),
            camera_fixed: param.bool(params, "cameraFixed"),
            generate_audio: param.bool(params, "generateAudio"),
            seed: param.num(params, "seed"),
          }),
        };
      default:
        throw new ProviderError("invalid_input", `replicate: no model for ${request.modelId}`);
    }
  }

  return {
    id: "replicate",

    unsupportedReason(modelId: ModelId) {
      return modelId === "kling-3" || modelId === "veo-3.1" || modelId === "seedance-2"
        ? null
        : `Replicate does not serve ${modelId}`;
    },

    async submit(request: SubmitRequest) {
      const { model, input } = modelAndInput(await withUploadedMedia(request));
      const body = compact({
        input: referenceKey ? { ...input, [referenceKey]: attemptReference(request) } : input,
        webhook: request.webhookUrl,
        webhook_events_filter: request.webhookUrl ? ["completed"] : undefined,
      });
      const answer = await call(
        "POST",
        `v1/models/${model}/predictions`,
        body,
        options.cancelAfter ? { "cancel-after": options.cancelAfter } : {},
      );
      // Only the id is read from the create answer; its status is read by polling.
      return {
        providerJobId: parseShape(
          PROVIDER,
          "the created prediction",
          predictionSchema.pick({ id: true }).loose(),
          answer,
        ).id,
      };
    },

    canFindJob() {
      return referenceKey !== null;
    },

    async findJob(request: SubmitRequest, lookup: FindJobOptions = {}) {
      if (!referenceKey) return undefined;
      const reference = attemptReference(request);
      const { model } = modelAndInput(request);
      // A minute of slack for clock skew between us and Replicate.
      const after = lookup.sentAfter
        ? `?created_after=${encodeURIComponent(new Date(lookup.sentAfter.getTime() - 60_000).toISOString())}`
        : "";
      let page: string | undefined = `v1/predictions${after}`;
      for (let read = 0; page !== undefined && read < maxListPages; read += 1) {
        const answer: z.output<typeof predictionPageSchema> = parseShape(
          PROVIDER,
          "a page of predictions",
          predictionPageSchema,
          await call("GET", page),
        );
        for (const prediction of answer.results) {
          if (prediction.input?.[referenceKey] !== reference) continue;
          if (prediction.model !== undefined && prediction.model !== model) continue;
          return prediction.id;
        }
        const next: string | undefined = answer.next ?? undefined;
        // The cursor is a full URL on Replicate's host; follow only our own API's (never a third party with our token).
        page = next && sameOrigin(next, baseUrl) ? next : undefined;
      }
      return undefined;
    },

    async poll(_modelId, providerJobId) {
      return statusFromPrediction(
        parseShape(
          PROVIDER,
          "the prediction",
          predictionSchema,
          await call("GET", `v1/predictions/${encodeURIComponent(providerJobId)}`),
        ),
      );
    },

    async cancel(_modelId, providerJobId) {
      await call("POST", `v1/predictions/${encodeURIComponent(providerJobId)}/cancel`);
    },

    parseWebhook(request: WebhookRequest): Promise<ParsedWebhook> {
      let verified = false;
      if (options.webhookSecret) {
        try {
          verifyStandardWebhook(PROVIDER, options.webhookSecret, request.headers, request.rawBody, now());
          verified = true;
        } catch (error) {
          return Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
      const body = parseJsonWebhookBody(PROVIDER, request.rawBody);
      const id = stringField(body, "id");
      if (!id || !isRecord(body))
        return Promise.reject(new ProviderError("invalid_input", "replicate: webhook without prediction id"));
      // A body we cannot read claims nothing: the job is polled instead.
      const parsed = predictionSchema.safeParse(body);
      return Promise.resolve({
        providerJobId: id,
        claimedStatus: parsed.success ? statusFromPrediction(parsed.data) : undefined,
        verified,
      });
    },
  };
}

/**
 * Our reference for one attempt: a hash of the generation id and attempt number, so the
 * provider learns no id of ours (the callback URL carries none either) yet a lookup can
 * recompute it.
 */
export function attemptReference(request: SubmitRequest): string {
  return createHash("sha256")
    .update(`animateimg:${request.generationId}-${request.attempt}`)
    .digest("base64url")
    .slice(0, 32);
}

function sameOrigin(url: string, baseUrl: string): boolean {
  try {
    return new URL(url).origin === new URL(baseUrl).origin;
  } catch {
    return false;
  }
}

function statusFromPrediction(prediction: Prediction): JobStatus {
  switch (prediction.status) {
    case "starting":
      return { state: "queued" };
    case "processing": {
      const progress = typeof prediction.logs === "string" ? progressFromLogs(prediction.logs) : undefined;
      return progress === undefined ? { state: "running" } : { state: "running", progress };
    }
    case "succeeded": {
      const output = prediction.output;
      const url: unknown = Array.isArray(output) ? output[0] : output;
      if (typeof url !== "string")
        return {
          state: "failed",
          error: new ProviderError("provider_protocol", "replicate: succeeded without an output URL"),
        };
      return { state: "succeeded", outputUrl: url };
    }
    case "failed": {
      const message =
        typeof prediction.error === "string"
          ? prediction.error
          : prediction.error
            ? JSON.stringify(prediction.error)
            : "prediction failed";
      const kind: ProviderErrorKind = CONTENT_POLICY_WORDS.test(message) ? "content_policy" : "unknown";
      return { state: "failed", error: new ProviderError(kind, `replicate: ${message}`) };
    }
    case "aborted":
      // The deadline passed before it started: not charged, worth another route.
      return {
        state: "failed",
        error: new ProviderError("transient", "replicate: prediction aborted before it started"),
      };
    case "canceled":
      return { state: "canceled" };
  }
}

function replicateError(response: ProviderResponse): ProviderError {
  const detail = stringField(response.json, "detail") ?? stringField(response.json, "title");
  let kind = kindFromHttpStatus(response.status);
  if (response.status === 404) kind = "invalid_input";
  if (kind === "invalid_input" && detail && CONTENT_POLICY_WORDS.test(detail)) kind = "content_policy";
  return errorFromHttp(PROVIDER, response, kind, detail);
}
