import { z } from "zod";

/** A URL that must use one of the given protocols, e.g. postgres: for DATABASE_URL. */
export const urlWithProtocol = (...protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}` },
  );

/** host:port, as Temporal's clients take it. */
export const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, { message: "must be host:port, e.g. 127.0.0.1:7233" });

export const port = z.coerce.number().int().min(1).max(65535);

export const databaseEnv = z.object({
  DATABASE_URL: urlWithProtocol("postgres:", "postgresql:"),
});

/**
 * Upstream video providers. Each is enabled only when its key is set; base URLs default to the
 * providers' public endpoints (point them at the local fakes for offline demos). Empty strings
 * count as unset, so a copied .env.example enables nothing.
 */
const optionalSecret = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value));
const optionalUrl = z
  .union([z.literal(""), urlWithProtocol("http:", "https:")])
  .optional()
  .transform((value) => (value === "" ? undefined : value));

export const providerConfigEnv = z.object({
  KLING_ACCESS_KEY: optionalSecret,
  KLING_SECRET_KEY: optionalSecret,
  KLING_BASE_URL: optionalUrl,
  GOOGLE_GEMINI_API_KEY: optionalSecret,
  GOOGLE_GEMINI_WEBHOOK_SECRET: optionalSecret,
  GOOGLE_GEMINI_BASE_URL: optionalUrl,
  GOOGLE_VEO_MODEL: optionalSecret,
  BYTEPLUS_ARK_API_KEY: optionalSecret,
  BYTEPLUS_ARK_BASE_URL: optionalUrl,
  BYTEPLUS_SEEDANCE_MODEL: optionalSecret,
  KIE_API_KEY: optionalSecret,
  KIE_BASE_URL: optionalUrl,
  KIE_WEBHOOK_HMAC_KEY: optionalSecret,
  FAL_KEY: optionalSecret,
  FAL_QUEUE_BASE_URL: optionalUrl,
  FAL_JWKS_URL: optionalUrl,
  REPLICATE_API_TOKEN: optionalSecret,
  REPLICATE_BASE_URL: optionalUrl,
  REPLICATE_WEBHOOK_SECRET: optionalSecret,
  /** Public origin providers call back on (…/api/webhooks/{provider}); unset: polling only. */
  PROVIDER_WEBHOOK_BASE_URL: optionalUrl,
  PROVIDER_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(30_000),
  /** Send our media to Replicate as files (POST /v1/files) instead of our signed URLs. */
  REPLICATE_UPLOAD_MEDIA: z
    .enum(["true", "false", "1", "0", ""])
    .optional()
    .transform((value) => value === "true" || value === "1"),
  /** Upload our media to fal's CDN first (public URLs): only for storage fal cannot reach. */
  FAL_UPLOAD_MEDIA: z
    .enum(["true", "false", "1", "0", ""])
    .optional()
    .transform((value) => value === "true" || value === "1"),
  /** fal's REST host for storage uploads; default https://rest.fal.ai. */
  FAL_STORAGE_BASE_URL: optionalUrl,
  /** A fal key of ADMIN scope: account deletion deletes a person's requests at fal with it (default FAL_KEY). */
  FAL_ADMIN_KEY: optionalSecret,
  /** fal's Platform API; default https://api.fal.ai/v1 (the local fakes in development). */
  FAL_PLATFORM_BASE_URL: optionalUrl,
});

/**
 * Payments (issue 13). PAYMENTS_PROVIDER picks the processor for this deployment; its keys turn
 * payments on. *_API_BASE_URL points an SDK at the local fakes (npm start does that when no
 * keys are set). PAYMENT_OFFERS overrides the default packs and plans (JSON).
 */
export const paymentsEnv = z.object({
  PAYMENTS_PROVIDER: z.enum(["stripe", "creem"]).default("stripe"),
  STRIPE_SECRET_KEY: optionalSecret,
  STRIPE_WEBHOOK_SECRET: optionalSecret,
  STRIPE_API_BASE_URL: optionalUrl,
  CREEM_API_KEY: optionalSecret,
  CREEM_WEBHOOK_SECRET: optionalSecret,
  CREEM_API_BASE_URL: optionalUrl,
  PAYMENT_OFFERS: z.string().optional(),
});

/**
 * Structured logs (@animateimg/logging). LOG_LEVEL: pino's levels. LOG_FORMAT: `json` (one
 * object per line, for collectors) or `pretty` (one readable line, `npm start` sets it).
 * LOG_USER_HASH_KEY: the key user ids are hashed with in log lines (at least 16 characters;
 * derived from BLOB_URL_SECRET when unset, so lines of one user correlate across processes).
 */
export const loggingEnv = z.object({
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"]).default("json"),
  LOG_USER_HASH_KEY: z.string().min(16).optional(),
});

/**
 * Outbound webhooks (web and worker read the same settings). WEBHOOKS_ALLOW_LOCAL_HTTP lets an
 * endpoint be http://127.0.0.1 (or localhost) for a receiver on this machine: development and
 * tests only, refused in production by checkWebhooksEnv. WEBHOOK_DISABLE_AFTER_DAYS: an endpoint
 * whose every delivery failed for this long is turned off and its owner emailed.
 */
export const webhooksEnv = z.object({
  WEBHOOKS_ALLOW_LOCAL_HTTP: z
    .enum(["true", "false", "1", "0", ""])
    .optional()
    .transform((value) => value === "true" || value === "1"),
  WEBHOOK_DISABLE_AFTER_DAYS: z.coerce.number().min(0.001).max(365).default(3),
});

export function checkWebhooksEnv(value: { NODE_ENV?: string; WEBHOOKS_ALLOW_LOCAL_HTTP: boolean; LOCAL_INSTANCE?: boolean }, ctx: z.RefinementCtx): void {
  // LOCAL_INSTANCE: the web app's production build under `npm start`, on this machine only.
  if (value.NODE_ENV === "production" && value.WEBHOOKS_ALLOW_LOCAL_HTTP && !value.LOCAL_INSTANCE) {
    ctx.addIssue({ code: "custom", path: ["WEBHOOKS_ALLOW_LOCAL_HTTP"], message: "must not be set in production (it lets webhooks reach this machine over plain http)" });
  }
}
