// The seam between the generation workflow and an upstream video provider. The workflow's
// activities call these methods; nothing here knows about Temporal or our database.
import type { ModelId, ProviderId } from "@animateimg/catalog";

/** Media the provider fetches: short-lived signed URLs to our own storage. */
export interface SubmitMedia {
  imageUrl: string;
  imageMimeType: string;
  endFrameUrl?: string;
  referenceVideoUrl?: string;
}

export interface SubmitRequest {
  /** Our generation id; passed where a provider takes an external id, never a user id. */
  generationId: string;
  /** 1-based attempt number across all routes, for idempotency keys. */
  attempt: number;
  modelId: ModelId;
  prompt: string;
  /** Already validated by the catalog's schema for `modelId`. */
  params: Record<string, unknown>;
  media: SubmitMedia;
  /** Where the provider should call back, when we have a public URL. */
  webhookUrl?: string;
}

/** What routing knows about a generation's media (after the uploads were probed). */
export interface RouteMedia {
  hasEndFrame: boolean;
  /** The reference video's probed length (Motion Control). */
  referenceVideoSeconds?: number;
  /** Whether the request has a prompt: some provider APIs refuse one without (Kie's Veo and Kling). */
  hasPrompt?: boolean;
}

export interface FindJobOptions {
  /** The first time this submit may have been sent: searches need look no further back. */
  sentAfter?: Date;
}

export interface SubmitResult {
  providerJobId: string;
}

/** Why a provider call failed, which decides what the workflow does next. */
export type ProviderErrorKind =
  | "transient" //       5xx, timeouts, disconnects: retry with backoff, then fall back
  | "rate_limited" //    429: wait Retry-After, then retry the same route
  | "invalid_input" //   our request or the user's media: do not cascade blindly
  | "content_policy" //  moderation: do not cascade; tell the user
  | "auth" //            bad/expired key: this route is down, fall back
  | "quota" //           out of provider balance: this route is down, fall back
  | "provider_protocol" // a 2xx answer that is not the documented shape (an API change): fall back, never guess
  | "unknown";

export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly retryAfterMs: number | undefined;
  readonly providerCode: string | undefined;
  readonly httpStatus: number | undefined;
  /** The provider did not answer in time (hung): retrying there holds a slot for nothing. */
  readonly noAnswer: boolean;

  constructor(
    kind: ProviderErrorKind,
    message: string,
    options: {
      retryAfterMs?: number;
      providerCode?: string;
      httpStatus?: number;
      cause?: unknown;
      noAnswer?: boolean;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ProviderError";
    this.kind = kind;
    this.retryAfterMs = options.retryAfterMs;
    this.providerCode = options.providerCode;
    this.httpStatus = options.httpStatus;
    this.noAnswer = options.noAnswer ?? false;
  }
}

export type JobStatus =
  | { state: "queued"; queuePosition?: number; progress?: number }
  | { state: "running"; progress?: number }
  | {
      state: "succeeded";
      outputUrl: string;
      /** headers needed to download it (e.g. Google's key) */ outputHeaders?: Record<string, string>;
    }
  | { state: "failed"; error: ProviderError }
  | { state: "canceled" };

export interface WebhookRequest {
  headers: Headers;
  rawBody: string;
}

export interface ParsedWebhook {
  providerJobId: string;
  /**
   * The status the callback claims. Only trusted when `verified` is true (signed callbacks);
   * unsigned ones (Kling, BytePlus, Kie's body) must be confirmed by polling.
   */
  claimedStatus: JobStatus | undefined;
  verified: boolean;
}

export interface ProviderAdapter {
  readonly id: Exclude<ProviderId, "local">;
  /** Why this route cannot honour these parameters, or null when it can. */
  unsupportedReason(modelId: ModelId, params: Record<string, unknown>, media: RouteMedia): string | null;
  submit(request: SubmitRequest): Promise<SubmitResult>;
  /**
   * Finds the job a submit of this request created, by the id of our own the adapter sent with
   * it (e.g. Kling's external_task_id): undefined when there is none, throws when the provider
   * could not be asked. Present only where the API takes our id and can be searched by it; a
   * submit whose answer was lost is looked up before any resubmit. Where it is absent, such a
   * submit is recorded as an uncertain job and never blindly sent again.
   */
  findJob?(request: SubmitRequest, options?: FindJobOptions): Promise<string | undefined>;
  /**
   * Whether findJob can tell this request's job apart from every other (default true when
   * findJob exists). False where the mark we match on is the user's own choice (BytePlus
   * matches on a seed we derive, so a user-chosen seed leaves nothing unique to search by).
   */
  canFindJob?(request: SubmitRequest): boolean;
  poll(modelId: ModelId, providerJobId: string): Promise<JobStatus>;
  /** Best effort; resolves when the provider accepted or already finished. */
  cancel(modelId: ModelId, providerJobId: string): Promise<void>;
  /**
   * Deletes what the provider keeps of a finished job (its input and output data), for account
   * deletion. Present only where the provider's API offers it; resolves "not_found" when the
   * provider no longer has the job. Where it is absent, deletion records that it could not.
   */
  deleteJobData?(modelId: ModelId, providerJobId: string): Promise<"deleted" | "not_found">;
  /** Throws ProviderError("auth") when a signature is present but wrong or missing where required. */
  parseWebhook(request: WebhookRequest): Promise<ParsedWebhook>;
  /**
   * Headers needed to download an output URL this provider returned (Google's key), computed at
   * download time. Prefer this over JobStatus.outputHeaders in the copy activity, so the key
   * never travels through workflow history. Absent or {} when the URL is public.
   */
  downloadHeaders?(outputUrl: string): Record<string, string>;
}
