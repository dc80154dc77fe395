// What every adapter needs to talk HTTP to a provider: a bounded fetch (a hung provider must
// not hang an activity), JSON parsing that turns garbage into a retryable error, and
// Retry-After parsing. Classification of the answer stays in each adapter: the same HTTP
// status means different things at different providers.
import { ProviderError, type ProviderErrorKind } from "./adapter";

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** Options every adapter factory accepts besides its credentials. */
export interface HttpClientOptions {
  /** Defaults to the global fetch (Node 20). */
  fetch?: FetchLike;
  /** Per request; a provider that does not answer in time is a transient failure. Default 30 s. */
  timeoutMs?: number;
  /**
   * Per read (GET: status polls, lookups), which should answer at once: a hung status read is
   * given up on sooner, so the poll is retried (and the worker's slot freed) instead of waiting
   * out the longer budget a submit may need. Default the smaller of timeoutMs and 10 s.
   */
  readTimeoutMs?: number;
}

export interface ProviderResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body; undefined when the body was empty. */
  json: unknown;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_READ_TIMEOUT_MS = 10_000;

/**
 * Sends one request. Network failures, timeouts and unparseable bodies become
 * ProviderError("transient"); any HTTP status is returned for the adapter to classify.
 */
export async function sendRequest(
  provider: string,
  url: string,
  init: RequestInit,
  options: HttpClientOptions,
): Promise<ProviderResponse> {
  const fetchImpl = options.fetch ?? fetch;
  const method = (init.method ?? "GET").toUpperCase();
  const requestTimeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeoutMs =
    method === "GET" || method === "HEAD"
      ? (options.readTimeoutMs ?? Math.min(requestTimeoutMs, DEFAULT_READ_TIMEOUT_MS))
      : requestTimeoutMs;
  let response: Response;
  let text: string;
  try {
    // The timeout covers the body too: a provider that sends headers and then stalls is hung.
    const signal = AbortSignal.timeout(timeoutMs);
    response = await fetchImpl(url, { ...init, signal });
    text = await response.text();
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    throw new ProviderError(
      "transient",
      `${provider}: ${timedOut ? `no answer within ${timeoutMs} ms` : "request failed"}`,
      {
        cause: error,
        noAnswer: timedOut,
      },
    );
  }
  let json: unknown = undefined;
  if (text.trim() !== "") {
    try {
      json = JSON.parse(text);
    } catch (error) {
      // A proxy's HTML error page or a truncated body: retrying is the only sensible move.
      throw new ProviderError("transient", `${provider}: malformed response body (HTTP ${response.status})`, {
        httpStatus: response.status,
        cause: error,
      });
    }
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. Undefined when absent or invalid. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** The kind an HTTP status implies when the provider's body says nothing more specific. */
export function kindFromHttpStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return "auth";
  if (status === 402) return "quota";
  if (status === 429) return "rate_limited";
  if (status === 408 || status >= 500) return "transient";
  if (status >= 400) return "invalid_input";
  return "unknown";
}

export function errorFromHttp(
  provider: string,
  response: ProviderResponse,
  kind: ProviderErrorKind,
  detail: string | undefined,
  providerCode?: string,
): ProviderError {
  const retryAfterMs = kind === "rate_limited" ? parseRetryAfter(response.headers.get("retry-after")) : undefined;
  return new ProviderError(kind, `${provider}: ${detail ?? `HTTP ${response.status}`}`, {
    httpStatus: response.status,
    providerCode,
    retryAfterMs,
  });
}

/** Words providers use in moderation messages; used only where no code says it outright. */
export const CONTENT_POLICY_WORDS =
  /sensitive|content[ _-]?policy|moderat|nsfw|safety|violat|prohibited|risk control|flagged/i;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function stringField(value: unknown, key: string): string | undefined {
  if (!isRecord(value)) return undefined;
  const field = value[key];
  return typeof field === "string" ? field : typeof field === "number" ? String(field) : undefined;
}

export function numberField(value: unknown, key: string): number | undefined {
  if (!isRecord(value)) return undefined;
  const field = value[key];
  return typeof field === "number" ? field : undefined;
}

export function recordField(value: unknown, key: string): Record<string, unknown> | undefined {
  if (!isRecord(value)) return undefined;
  const field = value[key];
  return isRecord(field) ? field : undefined;
}

export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** Drops undefined values: strictly validating providers (BytePlus) refuse unknown or null fields. */
export function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function parseJsonWebhookBody(provider: string, rawBody: string): unknown {
  try {
    return JSON.parse(rawBody);
  } catch (error) {
    throw new ProviderError("invalid_input", `${provider}: webhook body is not JSON`, { cause: error });
  }
}

/** Typed reads of the catalog-validated params (already parsed, so types are known). */
export const param = {
  str: (params: Record<string, unknown>, key: string): string | undefined =>
    typeof params[key] === "string" ? params[key] : undefined,
  num: (params: Record<string, unknown>, key: string): number | undefined =>
    typeof params[key] === "number" ? params[key] : undefined,
  bool: (params: Record<string, unknown>, key: string): boolean | undefined =>
    typeof params[key] === "boolean" ? params[key] : undefined,
};

/**
 * The last "NN%" in a model's logs (progress bars print it), as 0–100; undefined when none.
 * A heuristic: providers that expose logs (fal, Replicate) give no structured progress.
 */
export function progressFromLogs(logs: string): number | undefined {
  const matches = [...logs.matchAll(/(\d{1,3})(?:\.\d+)?\s*%/g)];
  const last = matches[matches.length - 1]?.[1];
  if (last === undefined) return undefined;
  const value = Number(last);
  return value >= 0 && value <= 100 ? value : undefined;
}
