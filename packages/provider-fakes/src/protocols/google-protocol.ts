// Fake Gemini API for Veo: x-goog-api-key auth (a bad key is a 400 API_KEY_INVALID, as Google
// answers), predictLongRunning → operation, poll until done, generatedSamples[].video.uri that
// can only be downloaded with the key. No seed or generateAudio in the Gemini API: refused.
import { type ApiResponse, type FakeProtocol, type FakeState, type Fault, isRecord } from "../fake-core";

function rpcError(status: number, code: string, message: string, headers?: Record<string, string>, reason?: string): ApiResponse {
  return {
    status,
    headers,
    body: {
      error: {
        code: status,
        message,
        status: code,
        ...(reason ? { details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason, domain: "googleapis.com" }] } : {}),
      },
    },
  };
}

const allowedParameters = new Set(["aspectRatio", "durationSeconds", "resolution", "negativePrompt", "personGeneration", "numberOfVideos"]);

export function createGoogleProtocol(state: FakeState, credentials: { apiKey: string }): FakeProtocol {
  const operationName = (model: string, id: string) => `models/${model}/operations/${id}`;

  return {
    id: "google",
    isSubmit: (method) => method === "POST",
    authorize(headers) {
      const key = headers["x-goog-api-key"];
      if (key === credentials.apiKey) return undefined;
      if (key === undefined) return rpcError(401, "UNAUTHENTICATED", "Method doesn't allow unregistered callers. Please use API Key.");
      return rpcError(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", undefined, "API_KEY_INVALID");
    },
    faultResponse(fault: Fault): ApiResponse {
      switch (fault.kind) {
        case "rate_limit":
        case "quota":
          return rpcError(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", { "retry-after": String(fault.retryAfterSeconds ?? 2) });
        case "invalid_input":
          return rpcError(400, "INVALID_ARGUMENT", "Request contains an invalid argument.");
        case "content_policy":
          return rpcError(400, "INVALID_ARGUMENT", "The prompt could not be submitted: it violates our safety policy.");
        default:
          return rpcError(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
      }
    },
    handle(request) {
      const submit = /^\/v1beta\/models\/([^/:]+):predictLongRunning$/.exec(request.path);
      if (submit && request.method === "POST") {
        const body = request.json;
        const instance: unknown = isRecord(body) && Array.isArray(body.instances) ? body.instances[0] : undefined;
        const parameters = isRecord(body) && isRecord(body.parameters) ? body.parameters : {};
        if (!isRecord(instance) || typeof instance.prompt !== "string") return rpcError(400, "INVALID_ARGUMENT", "instances[0].prompt is required");
        const image = instance.image;
        if (image !== undefined) {
          if (!isRecord(image) || typeof image.bytesBase64Encoded !== "string" || typeof image.mimeType !== "string")
            return rpcError(400, "INVALID_ARGUMENT", "image needs bytesBase64Encoded and mimeType");
          if (Buffer.from(image.bytesBase64Encoded, "base64").byteLength === 0) return rpcError(400, "INVALID_ARGUMENT", "image is empty");
        }
        for (const key of Object.keys(parameters))
          if (!allowedParameters.has(key)) return rpcError(400, "INVALID_ARGUMENT", `${key} parameter is not supported in Gemini API.`);
        if (parameters.resolution === "1080p" && parameters.durationSeconds !== 8)
          return rpcError(400, "INVALID_ARGUMENT", "1080p requires durationSeconds 8");
        const job = state.createJob("google", {
          model: submit[1]!,
          kind: "operation",
          input: body,
          callbackUrl: undefined,
          flags: state.takeJobFaults("google", request.markers),
        });
        return { status: 200, body: { name: operationName(job.model, job.id) } };
      }
      const poll = /^\/v1beta\/models\/([^/]+)\/operations\/([^/]+)$/.exec(request.path);
      if (poll && request.method === "GET") {
        const job = state.getJob("google", decodeURIComponent(poll[2]!));
        if (!job) return rpcError(404, "NOT_FOUND", "Operation not found");
        state.poll(job);
        const name = operationName(job.model, job.id);
        if (job.phase !== "done") return { status: 200, body: { name } };
        const generateVideoResponse =
          job.outcome === "succeeded"
            ? { generatedSamples: [{ video: { uri: `${state.origin}/google/v1beta/files/${job.outputId}:download?alt=media` } }] }
            : {
                raiMediaFilteredCount: 1,
                raiMediaFilteredReasons: ["Your prompt or image may violate our usage guidelines (safety filter)."],
              };
        return {
          status: 200,
          body: { name, done: true, response: { "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse", generateVideoResponse } },
        };
      }
      const download = /^\/v1beta\/files\/([^/:]+):download$/.exec(request.path);
      if (download && request.method === "GET") {
        // Served by the server's output handler after the key check.
        return { status: 307, body: "", headers: { "x-fake-output": download[1]! } };
      }
      return undefined;
    },
  };
}
