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
import { providerConfigEnv } from "@animateimg/providers";
import { storageEnv } from "@animateimg/storage";
import { parseWorkerRoles } from "@animateimg/workflows/worker-roles";
// Retention periods of the hourly sweep (README, "Retention").
import { retentionEnv } from "@animateimg/retention";

const schema = databaseEnv
  .extend(temporalEnv.shape)
  .extend(retentionEnv.shape)
  .extend(storageEnv.shape)
  .extend(providerConfigEnv.shape)
  .extend(paymentsEnv.shape)
  .extend(loggingEnv.shape)
  .extend(webhooksEnv.shape)
  .extend({
    /** Public origin of the web app: providers fetch the photo from signed URLs under it. */
    APP_URL: urlWithProtocol("http:", "https:").default("http://localhost:3000"),
    /** Parent of each worker process's private scratch folder (0700); default `<tmp>/animateimg-worker-<uid>`. */
    WORKER_SCRATCH_DIR: z.string().optional(),
    /** production: load the prebuilt workflow bundle; otherwise bundle from source at start. */
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    /** The prebuilt workflow bundle (`pnpm build:worker`); default apps/worker/dist/workflow-bundle.js in production. */
    WORKFLOW_BUNDLE_PATH: z.string().optional(),
    /** Task queues this process polls: any of main, render, providers (default all). */
    WORKER_ROLES: z.string().optional(),
    /** Only these providers' queues (e.g. kling,fal); alone, makes a provider-only process. */
    WORKER_PROVIDERS: z.string().optional(),
    /** Mail the worker sends (data export ready, a webhook endpoint turned off); unset: the email_outbox table (development). */
    SMTP_URL: urlWithProtocol("smtp:", "smtps:").optional(),
    EMAIL_FROM: z.string().min(3).default("AnimateImg <no-reply@animateimg.local>"),
    /** Days a finished data export can be downloaded before the retention sweep deletes it. */
    DATA_EXPORT_DOWNLOAD_DAYS: z.coerce.number().int().min(1).max(90).default(7),
    /** Engine renders at once in this process (default: one per core). */
    WORKER_RENDER_SLOTS: z.coerce.number().int().min(1).max(256).optional(),
  })
  .superRefine(checkWebhooksEnv)
  .superRefine(checkTemporalConnection)
  .superRefine((value, ctx) => {
    const roles = parseWorkerRoles(value.WORKER_ROLES, value.WORKER_PROVIDERS);
    if ("error" in roles)
      ctx.addIssue({
        code: "custom",
        path: [roles.error.startsWith("WORKER_PROVIDERS") ? "WORKER_PROVIDERS" : "WORKER_ROLES"],
        message: roles.error.replace(/^WORKER_\w+: /, ""),
      });
  });

export const env = loadEnvOrExit(schema, process.env);
