// Google Veo through the Gemini API (generativelanguage.googleapis.com).
// Follows: ai.google.dev/gemini-api/docs/video ("Generate videos with Veo 3.1", REST tab) and
// the long-running operations reference, as summarised in /work/shared/PROVIDERS.md and
// re-checked on 2026-11-29. The Gemini API takes the image inline (bytesBase64Encoded), so we
// fetch our own signed URL and encode it. It has no seed and no audio toggle (Veo 3.1 always
// speaks there): those parameters remove this route (the Vertex AI variant would honour them).
// (unverified): the model id (`veo-3.1-generate-preview`, configurable), durationSeconds sent as
// a number, and that operations cannot be cancelled (cancel is a no-op).
// Webhooks (ai.google.dev/api/webhooks): with a signing secret configured, a job asks for a
// `video.generated` callback through `webhookConfig.uris`; the event is verified per Standard
// Webhooks (webhook-id/-timestamp/-signature) and names the operation. (unverified: the event
// body, taken as the Standard Webhooks envelope {type, timestamp, data} with the operation as data.)
// Polling stays the safety net, and the workflow re-polls on every callback anyway.
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
  joinUrl,
  kindFromHttpStatus,
  param,
  parseJsonWebhookBody,
  recordField,
  sendRequest,
  stringField,
  type HttpClientOptions,
  type ProviderResponse,
} from "../provider-http";
import { parseShape } from "../provider-shapes";
import { verifyStandardWebhook } from "../webhook-signatures";

export interface GoogleAdapterOptions extends HttpClientOptions {
  /** Default https://generativelanguage.googleapis.com */
  baseUrl?: string;
  apiKey: string;
  /** Default veo-3.1-generate-preview (unverified). */
  model?: string;
  /** Largest image we inline; Gemini's request limit is ~20 MB (base64 grows by a third). */
  maxImageBytes?: number;
  /** Standard Webhooks secret (whsec_…) of our Gemini API webhook; unset: no callbacks, polling only. */
  webhookSecret?: string;
  now?: () => number;
}

const PROVIDER = "google";

// A long-running operation (google.longrunning.Operation) carrying Veo's PredictLongRunningResponse.
const operationSchema = z.looseObject({
  name: z.string().min(1),
  done: z.boolean().optional(),
  error: z.looseObject({ code: z.number().optional(), message: z.string().optional() }).optional(),
  response: z
    .looseObject({
      generateVideoResponse: z
        .looseObject({
          generatedSamples: z.array(z.looseObject({ video: z.looseObject({ uri: z.string().min(1) }) })).optional(),
          raiMediaFilteredCount: z.number().optional(),
          raiMediaFilteredReasons: z.array(z.string()).optional(),
        })
        .optional(),
    })
    .optional(),
});
type Operation = z.output<typeof operationSchema>;
/** A webhook event: the Standard Webhooks envelope around the finished operation. */
const eventSchema = z.looseObject({ type: z.string(), data: operationSchema });

export function createGoogleAdapter(options: GoogleAdapterOptions): ProviderAdapter {
  const baseUrl = options.baseUrl ?? "https://generativelanguage.googleapis.com";
  const model = options.model ?? "veo-3.1-generate-preview";
  const maxImageBytes = options.maxImageBytes ?? 14 * 1024 * 1024;

  async function inlineImage(url: string, mimeType: string): Promise<{ bytesBase64Encoded: string; mimeType: string }> {
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
    } catch (error) {
      throw new ProviderError("transient", "google: could not read our own image", { cause: error });
    }
    // Our storage refusing its own signed URL is not the provider's fault but it is retryable.
    if (!response.ok) throw new ProviderError("transient", `google: our image URL answered HTTP ${response.status}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.byteLength > maxImageBytes)
      throw new ProviderError("invalid_input", "google: image too large to send inline");
    const headerType = response.headers.get("content-type")?.split(";")[0]?.trim();
    return { bytesBase64Encoded: bytes.toString("base64"), mimeType: mimeType || headerType || "image/png" };
  }

  async function call(method: string, path: string, body?: unknown): Promise<Operation> {
    const response = await sendRequest(
      PROVIDER,
      joinUrl(baseUrl, path),
      {
        method,
        headers: { "x-goog-api-key": options.apiKey, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      options,
    );
    if (response.status >= 400) throw googleError(response);
    return parseShape(PROVIDER, "the operation", operationSchema, response.json, response.status);
  }

  // The key goes only to Google's own host: an output URI pointing elsewhere gets no key.
  const apiOrigin = new URL(baseUrl).origin;
  const keyHeadersFor = (url: string): Record<string, string> => {
    try {
      return new URL(url).origin === apiOrigin ? { "x-goog-api-key": options.apiKey } : {};
    } catch {
      return {};
    }
  };

  return {
    id: "google",

    downloadHeaders: keyHeadersFor,

    unsupportedReason(modelId: ModelId, params) {
      if (modelId !== "veo-3.1") return `the Gemini API does not serve ${modelId}`;
      if (param.num(params, "seed") !== undefined) return "the Gemini API takes no seed";
      if (param.bool(params, "generateAudio") === false) return "the Gemini API always generates sound (no toggle)";
      return null;
    },

    async submit(request: SubmitRequest) {
      const { params, media } = request;
      const image = await inlineImage(media.imageUrl, media.imageMimeType);
      const lastFrame = media.endFrameUrl ? await inlineImage(media.endFrameUrl, "") : undefined;
      const body = {
        instances: [compact({ prompt: request.prompt, image, lastFrame })],
        parameters: compact({
          aspectRatio: param.str(params, "aspectRatio"),
          durationSeconds: param.num(params, "durationSeconds"),
          resolution: param.str(params, "resolution"),
          negativePrompt: param.str(params, "negativePrompt"),
          personGeneration: "allow_adult",
        }),
        // Only where we can verify what comes back; no user metadata (nothing of the person leaves).
        ...(request.webhookUrl && options.webhookSecret ? { webhookConfig: { uris: [request.webhookUrl] } } : {}),
      };
      const operation = await call("POST", `v1beta/models/${encodeURIComponent(model)}:predictLongRunning`, body);
      return { providerJobId: operation.name };
    },

    async poll(_modelId, providerJobId) {
      // The operation name is a path ("models/…/operations/…"): keep its slashes.
      const operation = await call("GET", `v1beta/${providerJobId.split("/").map(encodeURIComponent).join("/")}`);
      return statusFromOperation(operation, keyHeadersFor);
    },

    cancel() {
      return Promise.resolve();
    },

    parseWebhook(request: WebhookRequest): Promise<ParsedWebhook> {
      if (!options.webhookSecret)
        return Promise.reject(
          new ProviderError("invalid_input", "google: no webhook secret configured, so no callbacks are expected"),
        );
      try {
        verifyStandardWebhook(
          PROVIDER,
          options.webhookSecret,
          request.headers,
          request.rawBody,
          (options.now ?? Date.now)(),
        );
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      const body = parseJsonWebhookBody(PROVIDER, request.rawBody);
      const event = eventSchema.safeParse(body);
      if (!event.success)
        return Promise.reject(new ProviderError("invalid_input", "google: webhook event without an operation"));
      return Promise.resolve({
        providerJobId: event.data.data.name,
        claimedStatus: statusFromOperation(event.data.data, keyHeadersFor),
        verified: true,
      });
    },
  };
}

function statusFromOperation(operation: Operation, headersFor: (url: string) => Record<string, string>): JobStatus {
  if (operation.done !== true) return { state: "running" };
  const error = operation.error;
  if (error) {
    const code = error.code;
    const message = error.message ?? "operation failed";
    const kind: ProviderErrorKind = CONTENT_POLICY_WORDS.test(message) ? "content_policy" : grpcKind(code, undefined);
    return {
      state: "failed",
      error: new ProviderError(kind, `google: ${message}`, {
        providerCode: code === undefined ? undefined : String(code),
      }),
    };
  }
  const videoResponse = operation.response?.generateVideoResponse;
  const uri = videoResponse?.generatedSamples?.[0]?.video.uri;
  if (uri) return { state: "succeeded", outputUrl: uri, outputHeaders: headersFor(uri) };
  const filtered = videoResponse?.raiMediaFilteredCount ?? 0;
  const reasons = videoResponse?.raiMediaFilteredReasons;
  if (filtered > 0 || reasons !== undefined) {
    const reason = (reasons ?? []).join("; ");
    return {
      state: "failed",
      error: new ProviderError("content_policy", `google: filtered by safety checks${reason ? `: ${reason}` : ""}`),
    };
  }
  // Done, with neither a video, an error nor a safety verdict: not a shape the docs describe.
  return {
    state: "failed",
    error: new ProviderError(
      "provider_protocol",
      "google: the operation finished without a video, an error or a safety verdict",
    ),
  };
}

/** google.rpc.Code numbers and names to our kinds. */
function grpcKind(code: number | undefined, status: string | undefined): ProviderErrorKind {
  if (status === "RESOURCE_EXHAUSTED" || code === 8 || code === 429) return "rate_limited";
  if (status === "UNAUTHENTICATED" || status === "PERMISSION_DENIED" || code === 16 || code === 7) return "auth";
  if (status === "INVALID_ARGUMENT" || status === "FAILED_PRECONDITION" || code === 3 || code === 9)
    return "invalid_input";
  if (
    status === "UNAVAILABLE" ||
    status === "INTERNAL" ||
    status === "DEADLINE_EXCEEDED" ||
    code === 14 ||
    code === 13 ||
    code === 4
  )
    return "transient";
  return "unknown";
}

function googleError(response: ProviderResponse): ProviderError {
  const error = recordField(response.json, "error");
  const status = stringField(error, "status");
  const message = stringField(error, "message");
  let kind = status ? grpcKind(undefined, status) : kindFromHttpStatus(response.status);
  if (kind === "unknown") kind = kindFromHttpStatus(response.status);
  // Google answers a wrong key with 400 INVALID_ARGUMENT; only the ErrorInfo reason tells.
  const details = error?.details;
  if (Array.isArray(details) && details.some((d) => stringField(d, "reason") === "API_KEY_INVALID")) kind = "auth";
  if (kind === "invalid_input" && message && CONTENT_POLICY_WORDS.test(message)) kind = "content_policy";
  return errorFromHttp(PROVIDER, response, kind, message, status);
}
