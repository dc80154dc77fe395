import type { AppError, AppErrorCode } from "@animateimg/core";
import { statusByCode } from "../upload/http-status";

const titles: Record<AppErrorCode, string> = {
  BAD_REQUEST: "Bad request",
  UNAUTHORIZED: "Unauthorized",
  FORBIDDEN: "Forbidden",
  NOT_FOUND: "Not found",
  CONFLICT: "Conflict",
  PRECONDITION_FAILED: "Precondition failed",
  PAYMENT_REQUIRED: "Payment required",
  PAYLOAD_TOO_LARGE: "Payload too large",
  UNSUPPORTED_MEDIA_TYPE: "Unsupported media type",
  UNPROCESSABLE_CONTENT: "Unprocessable content",
  TOO_MANY_REQUESTS: "Too many requests",
  SERVICE_UNAVAILABLE: "Service unavailable",
  INTERNAL_SERVER_ERROR: "Internal server error",
};

export interface ProblemOptions {
  reason?: string | null | undefined;
  /** The values the reason's sentence is made from, for clients that word it themselves. */
  params?: Record<string, string | number> | undefined;
  retryAfterSeconds?: number | undefined;
  fieldErrors?: Record<string, string[]> | undefined;
  /** Overrides the status the code maps to (405 has no AppError code). */
  status?: number;
}

/**
 * An RFC 9457 problem details response. `code` is the AppError code the web app shows for the
 * same failure, `reason` its stable sub-reason with `params` the values its sentence is made
 * of (`detail` is that sentence in English); `type` points at the reference page's entry.
 */
export function problemResponse(code: AppErrorCode, detail: string, options: ProblemOptions = {}): Response {
  const status = options.status ?? statusByCode[code];
  const body = {
    type: `/developers#error-${code.toLowerCase()}`,
    title: status === 405 ? "Method not allowed" : titles[code],
    status,
    detail,
    code,
    reason: options.reason ?? null,
    ...(options.params ? { params: options.params } : {}),
    ...(options.retryAfterSeconds !== undefined ? { retryAfterSeconds: options.retryAfterSeconds } : {}),
    ...(options.fieldErrors ? { fieldErrors: options.fieldErrors } : {}),
  };
  const headers = new Headers({ "content-type": "application/problem+json", "cache-control": "no-store" });
  if (options.retryAfterSeconds !== undefined) headers.set("retry-after", String(options.retryAfterSeconds));
  return new Response(JSON.stringify(body), { status, headers });
}

export function problemFromAppError(error: AppError): Response {
  return problemResponse(error.code, error.message, {
    reason: error.reason,
    params: error.params,
    retryAfterSeconds: error.retryAfterSeconds,
    fieldErrors: error.fieldErrors,
  });
}
