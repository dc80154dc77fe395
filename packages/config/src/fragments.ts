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
 * Optional settings whose empty value counts as unset, so a copied .env.example enables nothing.
 * The upstream providers' variables are built from these in @animateimg/providers (each
 * provider's registration lists its own; `providerConfigEnv` there joins them).
 */
export const optionalSecret = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value));
export const optionalUrl = z
  .union([z.literal(""), urlWithProtocol("http:", "https:")])
  .optional()
  .transform((value) => (value === "" ? undefined : value));
/** true for "true" or "1"; false when unset, empty, "false" or "0". */
export const optionalFlag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value === "true" || value === "1");

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

export function checkWebhooksEnv(
  value: { NODE_ENV?: string; WEBHOOKS_ALLOW_LOCAL_HTTP: boolean; LOCAL_INSTANCE?: boolean },
  ctx: z.RefinementCtx,
): void {
  // LOCAL_INSTANCE: the web app's production build under `npm start`, on this machine only.
  if (value.NODE_ENV === "production" && value.WEBHOOKS_ALLOW_LOCAL_HTTP && !value.LOCAL_INSTANCE) {
    ctx.addIssue({
      code: "custom",
      path: ["WEBHOOKS_ALLOW_LOCAL_HTTP"],
      message: "must not be set in production (it lets webhooks reach this machine over plain http)",
    });
  }
}
