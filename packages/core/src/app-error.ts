/**
 * Codes a domain function may fail with. They are named like tRPC's codes so the mapping
 * is the identity, but nothing here depends on tRPC: activities map the same codes to
 * retryable (`TOO_MANY_REQUESTS`, `SERVICE_UNAVAILABLE`, `INTERNAL_SERVER_ERROR`) or not.
 */
export type AppErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "PAYMENT_REQUIRED"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "UNPROCESSABLE_CONTENT"
  | "TOO_MANY_REQUESTS"
  | "SERVICE_UNAVAILABLE"
  | "INTERNAL_SERVER_ERROR";

export interface AppErrorOptions {
  /**
   * A stable machine-readable reason within the code, e.g. "insufficient_credits". The web app
   * words a reason its dictionaries know (`error.<reason>`, filled from `params`) in the reader's
   * language; the message is the English fallback for everyone else.
   */
  reason?: string;
  /** Values the reason's sentence needs, e.g. {owed: 12} for "credits_owed". */
  params?: Record<string, string | number>;
  /** Seconds until retrying can succeed (rate limits). */
  retryAfterSeconds?: number;
  /** Per-field messages for forms. */
  fieldErrors?: Record<string, string[]>;
  cause?: unknown;
}

/** A domain failure whose message is written for the person who caused it. */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly reason: string | undefined;
  readonly params: Record<string, string | number> | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly fieldErrors: Record<string, string[]> | undefined;

  constructor(code: AppErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.reason = options.reason;
    this.params = options.params;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.fieldErrors = options.fieldErrors;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Codes that a retry may fix; everything else is a final answer. */
export function isRetryableCode(code: AppErrorCode): boolean {
  return code === "TOO_MANY_REQUESTS" || code === "SERVICE_UNAVAILABLE" || code === "INTERNAL_SERVER_ERROR";
}
