// ByteDance Seedance through BytePlus ModelArk (ark.ap-southeast.bytepluses.com/api/v3).
// Follows: BytePlus ModelArk docs "Video generation API" (create / query / cancel a content
// generation task, callback) and "Error codes", as summarised in /work/shared/PROVIDERS.md and
// re-checked against docs copies on 2026-11-29. Body fields are strictly validated upstream, so
// we never send a field we do not set. Moderation can reject a task after it was accepted: a
// failed task with a SensitiveContentDetected* code maps to content_policy.
// Finding a task whose create answer was lost: BytePlus takes no id of ours, but "List content
// generation tasks" (GET /contents/generations/tasks?page_num&page_size&filter.model&
// filter.status&filter.task_ids, answer {items, total}) returns each task's `seed`. When the user
// chose no seed we send one derived from our attempt's reference (as random as BytePlus's own,
// but ours to recognise) and match on it with the model; a user-chosen seed leaves nothing
// unique to match, so such a lost create is an uncertain job (canFindJob false).
// (unverified): the default model id `dreamina-seedance-2-0-260128` (configurable), and that
// DELETE on a running task answers an error (we treat it as "already too late", not a failure).
import type { ModelId } from "@animateimg/catalog";
import { z } from "zod";
import { createHash } from "node:crypto";
import {
  ProviderError,
  type FindJobOptions,
  type JobStatus,
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
import { idSchema, parseShape } from "../provider-shapes";

export interface BytedanceAdapterOptions extends HttpClientOptions {
  /** Default https://ark.ap-southeast.bytepluses.com/api/v3 */
  baseUrl?: string;
  apiKey: string;
  /** Default dreamina-seedance-2-0-260128 (unverified). */
  model?: string;
  /** How many list pages (100 tasks each) a lookup reads at most. Default 10. */
  maxListPages?: number;
}

const PROVIDER = "bytedance";

// "Query a video generation task" (also each list item and the callback body).
const taskSchema = z.looseObject({
  id: idSchema,
  status: z.enum(["queued", "running", "succeeded", "failed", "expired", "cancelled"]),
  content: z.looseObject({ video_url: z.string().min(1).optional() }).optional(),
  error: z.looseObject({ code: z.string().optional(), message: z.string().optional() }).nullable().optional(),
  seed: z.number().optional(),
  created_at: z.number().optional(),
});
type Task = z.output<typeof taskSchema>;
/** "Query the video generation task list": {items, total}. */
const taskPageSchema = z.looseObject({ items: z.array(taskSchema), total: z.number().optional() });

export function createBytedanceAdapter(options: BytedanceAdapterOptions): ProviderAdapter {
  const baseUrl = options.baseUrl ?? "https://ark.ap-southeast.bytepluses.com/api/v3";
  const model = options.model ?? "dreamina-seedance-2-0-260128";
  const maxListPages = options.maxListPages ?? 10;
  const pageSize = 100;

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
    if (response.status >= 400) throw bytedanceError(response);
    return response.json;
  }

  return {
    id: "bytedance",

    unsupportedReason(modelId: ModelId) {
      return modelId === "seedance-2" ? null : `BytePlus ModelArk does not serve ${modelId}`;
    },

    async submit(request: SubmitRequest) {
      const { params, media } = request;
      const content: unknown[] = [];
      if (request.prompt) content.push({ type: "text", text: request.prompt });
      content.push({ type: "image_url", image_url: { url: media.imageUrl }, role: "first_frame" });
      if (media.endFrameUrl)
        content.push({ type: "image_url", image_url: { url: media.endFrameUrl }, role: "last_frame" });
      const body = compact({
        model,
        content,
        resolution: param.str(params, "resolution"),
        ratio: param.str(params, "aspectRatio"),
        duration: param.num(params, "durationSeconds"),
        seed: param.num(params, "seed") ?? derivedSeed(request),
        camera_fixed: param.bool(params, "cameraFixed"),
        generate_audio: param.bool(params, "generateAudio"),
        callback_url: request.webhookUrl,
      });
      const task = await call("POST", "contents/generations/tasks", body);
      return { providerJobId: parseShape(PROVIDER, "the create answer", z.looseObject({ id: idSchema }), task).id };
    },

    canFindJob(request: SubmitRequest) {
      return param.num(request.params, "seed") === undefined;
    },

    async findJob(request: SubmitRequest, lookup: FindJobOptions = {}) {
      if (param.num(request.params, "seed") !== undefined) return undefined;
      const seed = derivedSeed(request);
      // A minute of slack for clock skew between us and BytePlus (created_at is in seconds).
      const since = lookup.sentAfter ? Math.floor(lookup.sentAfter.getTime() / 1000) - 60 : undefined;
      for (let pageNum = 1; pageNum <= maxListPages; pageNum += 1) {
        const answer = await call(
          "GET",
          `contents/generations/tasks?page_num=${pageNum}&page_size=${pageSize}&filter.model=${encodeURIComponent(model)}`,
        );
        const { items } = parseShape(PROVIDER, "the task list", taskPageSchema, answer);
        const mine = items.find(
          (task) =>
            task.seed === seed && (since === undefined || task.created_at === undefined || task.created_at >= since),
        );
        if (mine) return mine.id;
        // Newest first (unverified: the docs do not state the order; the fake lists so): a page
        // that ends before the submit was sent ends the search. Pages are bounded either way.
        const oldest = items.reduce<number | undefined>(
          (min, task) => (task.created_at === undefined ? min : Math.min(min ?? task.created_at, task.created_at)),
          undefined,
        );
        if (items.length < pageSize || (since !== undefined && oldest !== undefined && oldest < since))
          return undefined;
      }
      return undefined;
    },

    async poll(_modelId, providerJobId) {
      return statusFromTask(
        parseShape(
          PROVIDER,
          "the task",
          taskSchema,
          await call("GET", `contents/generations/tasks/${encodeURIComponent(providerJobId)}`),
        ),
      );
    },

    async cancel(_modelId, providerJobId) {
      try {
        await call("DELETE", `contents/generations/tasks/${encodeURIComponent(providerJobId)}`);
      } catch (error) {
        // Only a queued task can be cancelled; a running or finished one answers 4xx. Best effort.
        if (error instanceof ProviderError && error.kind === "invalid_input") return;
        throw error;
      }
    },

    parseWebhook(request: WebhookRequest) {
      // Unsigned callback (body = the GET answer): the workflow must re-poll before trusting it.
      const body = parseJsonWebhookBody(PROVIDER, request.rawBody);
      const id = stringField(body, "id");
      if (!id) return Promise.reject(new ProviderError("invalid_input", "bytedance: callback without id"));
      // A body we cannot read claims nothing (and an unsigned one is only a hint anyway).
      const parsed = taskSchema.safeParse(body);
      return Promise.resolve({
        providerJobId: id,
        claimedStatus: parsed.success ? statusFromTask(parsed.data) : undefined,
        verified: false,
      });
    },
  };
}

/**
 * A seed derived from our attempt's reference (generation id, a random UUID, and attempt):
 * stable across retries of the attempt, different between attempts, in BytePlus's range
 * [0, 2^32 - 1] (kept below 2^31 for clients that read it as a signed int).
 */
export function derivedSeed(request: SubmitRequest): number {
  return (
    createHash("sha256").update(`${request.generationId}-${request.attempt}`).digest().readUInt32BE(0) & 0x7fffffff
  );
}

function policyOrKind(
  code: string | undefined,
  message: string | undefined,
  fallback: ProviderErrorKind,
): ProviderErrorKind {
  if (code?.startsWith("SensitiveContentDetected") || code?.startsWith("InputImageSensitiveContentDetected"))
    return "content_policy";
  if (code?.startsWith("OutputVideoSensitiveContentDetected") || code?.startsWith("InputTextSensitiveContentDetected"))
    return "content_policy";
  if (code === undefined && message && CONTENT_POLICY_WORDS.test(message)) return "content_policy";
  return fallback;
}

function statusFromTask(task: Task): JobStatus {
  switch (task.status) {
    case "queued":
      return { state: "queued" };
    case "running":
      return { state: "running" };
    case "succeeded": {
      const url = task.content?.video_url;
      if (!url)
        return {
          state: "failed",
          error: new ProviderError("provider_protocol", "bytedance: succeeded without video_url"),
        };
      return { state: "succeeded", outputUrl: url };
    }
    case "failed": {
      const code = task.error?.code;
      const message = task.error?.message ?? "task failed";
      return {
        state: "failed",
        error: new ProviderError(policyOrKind(code, message, "unknown"), `bytedance: ${message}`, {
          providerCode: code,
        }),
      };
    }
    case "expired":
      // The task outlived BytePlus's own deadline before running: nothing was produced or billed.
      return { state: "failed", error: new ProviderError("transient", "bytedance: task expired before it ran") };
    case "cancelled":
      return { state: "canceled" };
  }
}

function bytedanceError(response: ProviderResponse): ProviderError {
  const error = recordField(response.json, "error");
  const code = stringField(error, "code");
  const message = stringField(error, "message");
  let kind = kindFromHttpStatus(response.status);
  if (code?.startsWith("RateLimitExceeded")) kind = "rate_limited";
  else if (code === "AccountOverdueError" || code?.startsWith("QuotaExceeded")) kind = "quota";
  else if (code === "AuthenticationError" || code?.startsWith("InvalidAccessKey")) kind = "auth";
  else if (code?.startsWith("InvalidParameter") || code?.startsWith("MissingParameter")) kind = "invalid_input";
  kind = policyOrKind(code, message, kind);
  return errorFromHttp(PROVIDER, response, kind, message, code);
}
