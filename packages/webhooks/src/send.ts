import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import {
  guardedLookup,
  isAllowedAddress,
  RefusedAddressError,
  type EndpointUrlPolicy,
  type ResolveHost,
} from "./url-policy";

/** Why an attempt failed, for the delivery log (never the receiver's body or our stack). */
export type WebhookErrorClass = "http_status" | "timeout" | "connection" | "tls" | "refused_address" | "invalid_url";

export interface SendResult {
  statusCode: number | null;
  durationMs: number;
  errorClass: WebhookErrorClass | null;
}

export const WEBHOOK_TIMEOUT_MS = 15_000;
/** We read at most this much of a reply (and ignore it): a receiver cannot make us buffer more. */
const MAX_RESPONSE_BYTES = 64 * 1024;

function classify(error: unknown): WebhookErrorClass {
  if (error instanceof RefusedAddressError) return "refused_address";
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? "";
  if (code === "ETIMEDOUT" || code === "WEBHOOK_TIMEOUT") return "timeout";
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)) return "tls";
  return "connection";
}

/**
 * POSTs one signed event. Connects only to addresses the policy allows (checked at connect
 * time, see url-policy.ts), follows no redirects (a 3xx is a failed attempt: a redirect could
 * point anywhere) and gives up after the timeout. Never throws: every outcome is a result.
 */
export async function sendWebhook(options: {
  url: string;
  headers: Record<string, string>;
  body: string;
  policy: EndpointUrlPolicy;
  timeoutMs?: number;
  resolve?: ResolveHost;
}): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    return { statusCode: null, durationMs: 0, errorClass: "invalid_url" };
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && options.policy.allowLocalHttp)) {
    return { statusCode: null, durationMs: 0, errorClass: "invalid_url" };
  }
  // An address written in the URL is never looked up, so the guarded lookup would not see it.
  const literal = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(literal) && !isAllowedAddress(literal, options.policy))
    return { statusCode: null, durationMs: 0, errorClass: "refused_address" };
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = request(
      url,
      {
        method: "POST",
        lookup: guardedLookup(options.policy, options.resolve),
        headers: {
          "content-type": "application/json",
          "user-agent": "AnimateImg-Webhooks/1",
          "content-length": String(Buffer.byteLength(options.body)),
          ...options.headers,
        },
      },
      (res) => {
        let read = 0;
        res.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) res.destroy();
        });
        const done = () => {
          const statusCode = res.statusCode ?? null;
          const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
          finish({ statusCode, durationMs: elapsed(), errorClass: ok ? null : "http_status" });
        };
        res.on("end", done);
        res.on("close", done);
        res.on("error", done);
      },
    );
    const timer = setTimeout(() => {
      req.destroy(Object.assign(new Error("webhook timed out"), { code: "WEBHOOK_TIMEOUT" }));
    }, options.timeoutMs ?? WEBHOOK_TIMEOUT_MS);
    req.on("error", (error) => finish({ statusCode: null, durationMs: elapsed(), errorClass: classify(error) }));
    req.end(options.body);
  });
}
