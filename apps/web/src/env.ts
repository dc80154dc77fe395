import { z } from "zod";
import {
  checkTemporalConnection,
  checkWebhooksEnv,
  databaseEnv,
  loadEnvOrExit,
  loggingEnv,
  paymentsEnv,
  temporalEnv,
  urlWithProtocol,
  webhooksEnv,
} from "@animateimg/config";
import { storageEnv } from "@animateimg/storage";

const schema = databaseEnv
  .extend(temporalEnv.shape)
  .extend(storageEnv.shape)
  .extend(paymentsEnv.shape)
  .extend(loggingEnv.shape)
  .extend(webhooksEnv.shape)
  .extend({
    // Uploads (issue 5): the web app signs blob URLs, so its secret is required here.
    BLOB_URL_SECRET: storageEnv.shape.BLOB_URL_SECRET.unwrap(),
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    // Credits every new account starts with, so a newcomer can try the models before buying.
    WELCOME_CREDITS: z.coerce.number().int().min(0).max(100_000).default(20),
    // Accounts (issue 3): public URL for email links, OAuth callbacks and the Origin check.
    APP_URL: urlWithProtocol("http:", "https:").default("http://localhost:3000"),
    // Reverse proxies in front of the app that append the client's address to X-Forwarded-For.
    // 0 (default): none; the socket's peer is the client and the header is ignored.
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    SMTP_URL: urlWithProtocol("smtp:", "smtps:").optional(),
    // Origin(s) of the Temporal Web UI allowed to call the payload codec endpoint with an
    // administrator's session (comma-separated), e.g. http://localhost:8233.
    TEMPORAL_UI_ORIGIN: z
      .string()
      .optional()
      .transform((value) =>
        (value ?? "")
          .split(",")
          .map((origin) => origin.trim())
          .filter(Boolean),
      )
      .pipe(z.array(urlWithProtocol("http:", "https:").transform((url) => new URL(url).origin))),
    EMAIL_FROM: z.string().min(3).default("AnimateImg <no-reply@animateimg.local>"),
    // Privacy (issue 12): fills the policy's contact section; one-click unsubscribe links.
    PRIVACY_CONTACT_EMAIL: z.email().optional(),
    UNSUBSCRIBE_SECRET: z.string().min(32).optional(),
    // Account deletion (issue 12): days between the request and the erasure, during which the
    // person can cancel. The privacy policy's promise does not depend on it; 7 days by default.
    ACCOUNT_DELETION_GRACE_DAYS: z.coerce.number().min(0).max(90).default(7),
    GITHUB_CLIENT_ID: z.string().optional(),
    GITHUB_CLIENT_SECRET: z.string().optional(),
    GITHUB_OAUTH_BASE_URL: urlWithProtocol("http:", "https:").default("https://github.com"),
    GITHUB_API_BASE_URL: urlWithProtocol("http:", "https:").default("https://api.github.com"),
    GOOGLE_CLIENT_ID: z.string().optional(),
    GOOGLE_CLIENT_SECRET: z.string().optional(),
    GOOGLE_OAUTH_AUTHORIZE_URL: urlWithProtocol("http:", "https:").default(
      "https://accounts.google.com/o/oauth2/v2/auth",
    ),
    GOOGLE_OAUTH_TOKEN_URL: urlWithProtocol("http:", "https:").default("https://oauth2.googleapis.com/token"),
    // Set by `npm start` only (issue 19): this production build serves one person on this machine
    // over plain http. Mail without SMTP_URL stays in the outbox (/dev/outbox, loopback only), the
    // session cookie is sent without https and WEBHOOKS_ALLOW_LOCAL_HTTP is allowed, as in
    // development. Refused unless APP_URL is http on localhost, 127.0.0.1 or [::1].
    LOCAL_INSTANCE: z
      .enum(["true", "false", "1", "0", ""])
      .optional()
      .transform((value) => value === "true" || value === "1"),
  })
  .superRefine(checkTemporalConnection)
  .superRefine(checkWebhooksEnv)
  .superRefine((value, ctx) => {
    // Without SMTP, mail goes to the outbox table (a development aid): in production that would
    // silently keep every sign-up, reset and verification link there, live, and send nothing.
    if (value.NODE_ENV === "production" && !value.SMTP_URL && !value.LOCAL_INSTANCE) {
      ctx.addIssue({
        code: "custom",
        path: ["SMTP_URL"],
        message: "must be set in production (without it no email is sent; links would sit in the outbox table)",
      });
    }
    if (value.LOCAL_INSTANCE && !isLoopbackHttpUrl(value.APP_URL)) {
      ctx.addIssue({
        code: "custom",
        path: ["LOCAL_INSTANCE"],
        message:
          "is only for an app on this machine: APP_URL must be http://localhost, http://127.0.0.1 or http://[::1]",
      });
    }
  });

/** http on this machine only: what LOCAL_INSTANCE may serve. */
function isLoopbackHttpUrl(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(hostname);
}

/**
 * `next build` imports every route to collect its configuration (NEXT_PHASE says so) but serves
 * no request, and the deployment's settings are not known then: one build (one container image)
 * serves every environment, which the server reads when it starts. The build gets placeholders
 * for what is required, pointing nowhere; anything set in its environment still wins.
 */
const buildPhasePlaceholders: Record<string, string> = {
  DATABASE_URL: "postgres://build-placeholder@127.0.0.1:9/unused",
  TEMPORAL_ADDRESS: "127.0.0.1:9",
  BLOB_URL_SECRET: "build-placeholder-never-signs-anything-served",
  SMTP_URL: "smtp://127.0.0.1:9",
};
function environment(): Record<string, string | undefined> {
  if (process.env.NEXT_PHASE !== "phase-production-build") return process.env;
  const set = Object.fromEntries(
    Object.entries(process.env).filter(([, value]) => value !== undefined && value.trim() !== ""),
  );
  return { ...buildPhasePlaceholders, ...set };
}

/** Server-only: importing this from a client component would leak nothing, but fail to build. */
export const env = loadEnvOrExit(schema, environment());
