// Fake Gemini API for Veo: x-goog-api-key auth (a bad key is a 400 API_KEY_INVALID, as Google
// answers), predictLongRunning → operation, poll until done, generatedSamples[].video.uri that
// can only be downloaded with the key. Served under /v1beta and /v1 (the official @google/genai
// 2.x defaults to v1beta, 3.x to v1). The request body is strict as Google's JSON mapping is:
// unknown fields are refused, as are seed and generateAudio (Vertex-only). `sampleCount` (what
// the SDK sends for numberOfVideos) gives that many samples. `webhookConfig.uris` gets a
// `video.generated` event when the operation ends, signed per Standard Webhooks.
// Video URIs are issued on the origin the caller reached: behind a proxy that sets
// X-Forwarded-Proto/-Host (a client pointed at the fake through its `httpOptions.fetch`), they
// read https://generativelanguage.googleapis.com/v1beta/files/{id}:download?alt=media as Google's
// do, which is what `ai.files.download({file: generatedVideo})` needs to find the file name.
// Docs: https://ai.google.dev/gemini-api/docs/video (REST), https://ai.google.dev/api/webhooks.
import type { IncomingHttpHeaders } from "node:http";
import { randomBytes } from "node:crypto";
import {
  isRecord,
  nowSeconds,
  type ApiResponse,
  type FakeJob,
  type FakeProtocol,
  type FakeState,
  type Fault,
} from "../fake-core";
import { standardWebhookHeaders } from "../webhook-signing";

function rpcError(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
  reason?: string,
): ApiResponse {
  return {
    status,
    headers,
    body: {
      error: {
        code: status,
        message,
        status: code,
        ...(reason
          ? { details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason, domain: "googleapis.com" }] }
          : {}),
      },
    },
  };
}

const allowedTopLevel = new Set(["instances", "parameters", "webhookConfig"]);
const allowedInstance = new Set(["prompt", "image", "lastFrame", "video", "referenceImages"]);
// numberOfVideos is what the docs' JavaScript examples call sampleCount; both are accepted.
const allowedParameters = new Set([
  "aspectRatio",
  "durationSeconds",
  "resolution",
  "negativePrompt",
  "personGeneration",
  "sampleCount",
  "numberOfVideos",
  "enhancePrompt",
]);
const vertexOnly = new Set([
  "seed",
  "generateAudio",
  "fps",
  "storageUri",
  "outputGcsUri",
  "compressionQuality",
  "pubsubTopic",
  "resizeMode",
]);

export interface GoogleFakeCredentials {
  apiKey: string;
  /** Standard Webhooks secret (whsec_…) the fake signs video.generated events with. */
  webhookSecret: string;
}

export function createGoogleProtocol(state: FakeState, credentials: GoogleFakeCredentials): FakeProtocol {
  const operationName = (model: string, id: string) => `models/${model}/operations/${id}`;
  /** The API root as the caller sees it (its proxy's public origin, or the fake's own prefix). */
  const publicBase = (headers: IncomingHttpHeaders): string => {
    const host = headers["x-forwarded-host"];
    const proto = headers["x-forwarded-proto"];
    return typeof host === "string" && (proto === "https" || proto === "http")
      ? `${proto}://${host}`
      : `${state.origin}/google`;
  };

  const operation = (
    job: FakeJob,
    version: string,
    base: string = typeof job.extra.publicBase === "string" ? job.extra.publicBase : `${state.origin}/google`,
  ): Record<string, unknown> => {
    const name = operationName(job.model, job.id);
    if (job.phase !== "done") return { name };
    const parameters = isRecord(job.input) && isRecord(job.input.parameters) ? job.input.parameters : {};
    const count = Number(parameters.sampleCount ?? parameters.numberOfVideos ?? 1);
    const generateVideoResponse =
      job.outcome === "succeeded"
        ? {
            generatedSamples: Array.from({ length: count }, () => ({
              video: { uri: `${base}/${version}/files/${job.outputId}:download?alt=media` },
            })),
          }
        : {
            raiMediaFilteredCount: 1,
            raiMediaFilteredReasons: ["Your prompt or image may violate our usage guidelines (safety filter)."],
          };
    return {
      name,
      done: true,
      response: {
        "@type": `type.googleapis.com/google.ai.generativelanguage.${version}.PredictLongRunningResponse`,
        generateVideoResponse,
      },
    };
  };

  // The event when an operation with webhookConfig ends (unverified shape: the Standard Webhooks
  // envelope {type, timestamp, data}, data being the finished operation plus the userMetadata).
  state.listeners.set("google", (job) => {
    if (job.phase !== "done") return;
    state.webhook(job, true, () => {
      const metadata =
        isRecord(job.extra.webhookConfig) && isRecord(job.extra.webhookConfig.userMetadata)
          ? job.extra.webhookConfig.userMetadata
          : undefined;
      const body = JSON.stringify({
        type: "video.generated",
        timestamp: new Date().toISOString(),
        data: {
          ...operation(job, typeof job.extra.version === "string" ? job.extra.version : "v1beta"),
          ...(metadata ? { userMetadata: metadata } : {}),
        },
      });
      return {
        headers: standardWebhookHeaders(
          credentials.webhookSecret,
          `msg_${randomBytes(12).toString("hex")}`,
          nowSeconds(),
          body,
        ),
        body,
      };
    });
  });

  const submit = (
    version: string,
    model: string,
    body: unknown,
    markers: Parameters<FakeState["takeJobFaults"]>[1],
    base: string,
  ): ApiResponse => {
    if (!isRecord(body)) return rpcError(400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
    for (const key of Object.keys(body))
      if (!allowedTopLevel.has(key))
        return rpcError(
          400,
          "INVALID_ARGUMENT",
          `Invalid JSON payload received. Unknown name "${key}": Cannot find field.`,
        );
    const instance: unknown = Array.isArray(body.instances) ? body.instances[0] : undefined;
    const parameters = isRecord(body.parameters) ? body.parameters : {};
    if (!isRecord(instance) || typeof instance.prompt !== "string")
      return rpcError(400, "INVALID_ARGUMENT", "instances[0].prompt is required");
    for (const key of Object.keys(instance))
      if (!allowedInstance.has(key))
        return rpcError(
          400,
          "INVALID_ARGUMENT",
          `Invalid JSON payload received. Unknown name "${key}" at 'instances[0]': Cannot find field.`,
        );
    for (const field of ["image", "lastFrame"] as const) {
      const image = instance[field];
      if (image === undefined) continue;
      if (!isRecord(image) || typeof image.bytesBase64Encoded !== "string" || typeof image.mimeType !== "string")
        return rpcError(400, "INVALID_ARGUMENT", `${field} needs bytesBase64Encoded and mimeType`);
      if (Buffer.from(image.bytesBase64Encoded, "base64").byteLength === 0)
        return rpcError(400, "INVALID_ARGUMENT", `${field} is empty`);
    }
    for (const key of Object.keys(parameters)) {
      if (vertexOnly.has(key))
        return rpcError(400, "INVALID_ARGUMENT", `${key} parameter is not supported in Gemini API.`);
      if (!allowedParameters.has(key))
        return rpcError(
          400,
          "INVALID_ARGUMENT",
          `Invalid JSON payload received. Unknown name "${key}" at 'parameters': Cannot find field.`,
        );
    }
    const count = parameters.sampleCount ?? parameters.numberOfVideos;
    if (count !== undefined && (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > 4))
      return rpcError(400, "INVALID_ARGUMENT", "sampleCount must be an integer from 1 to 4");
    if (parameters.resolution === "1080p" && parameters.durationSeconds !== 8)
      return rpcError(400, "INVALID_ARGUMENT", "1080p requires durationSeconds 8");
    const webhookConfig = body.webhookConfig;
    if (webhookConfig !== undefined) {
      if (
        !isRecord(webhookConfig) ||
        (webhookConfig.uris !== undefined &&
          (!Array.isArray(webhookConfig.uris) || webhookConfig.uris.some((u) => typeof u !== "string")))
      )
        return rpcError(400, "INVALID_ARGUMENT", "webhookConfig.uris must be a list of URIs");
      if (webhookConfig.userMetadata !== undefined && !isRecord(webhookConfig.userMetadata))
        return rpcError(400, "INVALID_ARGUMENT", "webhookConfig.userMetadata must be an object");
    }
    const uris = isRecord(webhookConfig) && Array.isArray(webhookConfig.uris) ? (webhookConfig.uris as string[]) : [];
    const job = state.createJob("google", {
      model,
      kind: "operation",
      input: body,
      callbackUrl: uris[0],
      flags: state.takeJobFaults("google", markers),
    });
    job.extra.version = version;
    job.extra.publicBase = base;
    if (webhookConfig !== undefined) job.extra.webhookConfig = webhookConfig;
    return { status: 200, body: { name: operationName(job.model, job.id) } };
  };

  return {
    id: "google",
    isSubmit: (method) => method === "POST",
    authorize(headers) {
      const key = headers["x-goog-api-key"];
      if (key === credentials.apiKey) return undefined;
      if (key === undefined)
        return rpcError(401, "UNAUTHENTICATED", "Method doesn't allow unregistered callers. Please use API Key.");
      return rpcError(
        400,
        "INVALID_ARGUMENT",
        "API key not valid. Please pass a valid API key.",
        undefined,
        "API_KEY_INVALID",
      );
    },
    faultResponse(fault: Fault): ApiResponse {
      switch (fault.kind) {
        case "rate_limit":
        case "quota":
          return rpcError(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", {
            "retry-after": String(fault.retryAfterSeconds ?? 2),
          });
        case "invalid_input":
          return rpcError(400, "INVALID_ARGUMENT", "Request contains an invalid argument.");
        case "content_policy":
          return rpcError(400, "INVALID_ARGUMENT", "The prompt could not be submitted: it violates our safety policy.");
        default:
          return rpcError(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
      }
    },
    handle(request) {
      const submitPath = /^\/(v1beta|v1)\/models\/([^/:]+):predictLongRunning$/.exec(request.path);
      if (submitPath && request.method === "POST")
        return submit(submitPath[1]!, submitPath[2]!, request.json, request.markers, publicBase(request.headers));
      const poll = /^\/(v1beta|v1)\/models\/([^/]+)\/operations\/([^/]+)$/.exec(request.path);
      if (poll && request.method === "GET") {
        const job = state.getJob("google", decodeURIComponent(poll[3]!));
        if (!job || job.model !== decodeURIComponent(poll[2]!))
          return rpcError(404, "NOT_FOUND", "Operation not found");
        state.poll(job);
        return { status: 200, body: operation(job, poll[1]!, publicBase(request.headers)) };
      }
      const download = /^\/(v1beta|v1)\/files\/([^/:]+):download$/.exec(request.path);
      if (download && request.method === "GET") {
        // Served by the server's output handler after the key check.
        return { status: 307, body: "", headers: { "x-fake-output": download[2]! } };
      }
      return undefined;
    },
  };
}
