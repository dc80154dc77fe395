import { describeTemporalConnection, temporalConnectionFromEnv } from "@animateimg/config";
import { renderAnimation } from "@animateimg/animate-engine";
import { createExportLinks } from "@animateimg/data-export";
import { createDb } from "@animateimg/db";
import { createMailer } from "@animateimg/email";
import { createProviderRegistry, providerRegistryConfigFromEnv, providerWebhookUrl } from "@animateimg/providers";
import { createStorageFromEnv, PROVIDER_SUBJECT } from "@animateimg/storage";
import { paymentsFromEnv } from "@animateimg/payments";
import { retentionSettingsFromEnv } from "@animateimg/retention";
import { openScratchDirectory } from "@animateimg/workflows/scratch";
import { createWorker } from "@animateimg/workflows/worker";
import { describeWorkerRoles, parseWorkerRoles, selectedProviders } from "@animateimg/workflows/worker-roles";
import { createLogger } from "@animateimg/logging";
import { installWorkerLogging } from "@animateimg/workflows/worker-logging";
import { env } from "./env";
import { chooseWorkflowBundle } from "./workflow-bundle";

// Structured logs (LOG_LEVEL, LOG_FORMAT): this file's lines, Temporal's (worker lifecycle,
// activity failures, activity code's lines with workflow id, generation id, type, attempt).
const log = createLogger({ service: "worker", level: env.LOG_LEVEL, format: env.LOG_FORMAT });
installWorkerLogging(log);
// Whatever escapes (Temporal unreachable at start, a search attribute this worker may not
// create…) is one fatal JSON line with the error, not a bare stack on stderr.
const fatal = (error: unknown) => {
  log.fatal({ err: error }, `stopped on an error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
};
process.on("uncaughtException", fatal);
process.on("unhandledRejection", fatal);

// TLS, mTLS or an API key as configured; validated with the rest of the environment.
const temporal = temporalConnectionFromEnv(env);
const db = createDb({ url: env.DATABASE_URL });
const storage = createStorageFromEnv(env);
const providers = createProviderRegistry(providerRegistryConfigFromEnv(env));
const payments = paymentsFromEnv(env);
// Private to this process (0700, files 0600), removed on exit, leftovers of dead workers swept.
const scratch = openScratchDirectory({ parent: env.WORKER_SCRATCH_DIR, log: (line) => log.info(line) });
const scratchDir = scratch.path;
// Which queues this process polls (WORKER_ROLES / WORKER_PROVIDERS; env.ts already checked them).
const roles = parseWorkerRoles(env.WORKER_ROLES, env.WORKER_PROVIDERS);
if ("error" in roles) throw new Error(roles.error);
const providerQueues = selectedProviders(roles, providers.enabled);
if ("error" in providerQueues) {
  log.fatal(`Configuration error: ${providerQueues.error}`);
  process.exit(78);
}
// Production loads the bundle `pnpm build:worker` wrote; development bundles from source; a
// process without the main role runs no workflows and needs neither.
const bundle = chooseWorkflowBundle({
  production: env.NODE_ENV === "production",
  bundlePath: env.WORKFLOW_BUNDLE_PATH,
  runsWorkflows: roles.main,
});
if (bundle.kind === "error") {
  log.fatal(bundle.message);
  process.exit(78);
}

const { worker, connection } = await createWorker({
  ...temporal,
  taskQueue: env.TEMPORAL_TASK_QUEUE,
  roles,
  ...(bundle.kind === "prebuilt" ? { workflowBundle: { codePath: bundle.codePath } } : {}),
  ...(env.WORKER_RENDER_SLOTS ? { renderSlots: env.WORKER_RENDER_SLOTS } : {}),
  // The reconciler and the hourly retention sweep: created, or updated when their definition
  // changed, at every start of a process with the main role.
  registerSchedules: true,
  deps: {
    db,
    blobStore: storage.store,
    // The engine validates its own parameters (the catalog already did, with the same rules).
    renderAnimation,
    scratchDir,
    // How long the retention sweep keeps each kind of data (RETENTION_* variables).
    retention: retentionSettingsFromEnv(env),
    // A provider is enabled when its credentials are set.
    providers,
    // Payment webhook events are applied by this worker when the processor's keys are set.
    ...(payments.processor ? { payments: { processor: payments.processor, offers: payments.offers } } : {}),
    // Providers fetch the photo themselves, through a signed URL that only works for this blob,
    // only while it belongs to a live asset, and only for an hour.
    mediaUrlFor: (key) =>
      `${env.APP_URL}/api/blobs/${storage.signer.sign({ key, subject: PROVIDER_SUBJECT }, { ttlSeconds: 3600 }).token}`,
    // Data exports: the ready email's link is signed with the blob URL secret the web app
    // verifies, and expires with the archive (DATA_EXPORT_DOWNLOAD_DAYS).
    dataExports: {
      mailer: createMailer({ db, smtpUrl: env.SMTP_URL, from: env.EMAIL_FROM }),
      ...(env.BLOB_URL_SECRET ? { links: createExportLinks({ signer: storage.signer, appUrl: env.APP_URL }) } : {}),
      appUrl: env.APP_URL,
      downloadDays: env.DATA_EXPORT_DOWNLOAD_DAYS,
    },
    // Outbound webhooks: events of finished generations, signed, to the owners' endpoints.
    webhooks: {
      apiBaseUrl: `${new URL(env.APP_URL).origin}/api/v1`,
      settingsUrl: `${new URL(env.APP_URL).origin}/settings#webhooks`,
      policy: { allowLocalHttp: env.WEBHOOKS_ALLOW_LOCAL_HTTP },
      mailer: createMailer({ db, smtpUrl: env.SMTP_URL, from: env.EMAIL_FROM }),
      disableAfterDays: env.WEBHOOK_DISABLE_AFTER_DAYS,
    },
    webhookUrlFor: (provider) =>
      env.PROVIDER_WEBHOOK_BASE_URL ? providerWebhookUrl(env.PROVIDER_WEBHOOK_BASE_URL, provider) : undefined,
  },
});

// Temporal's worker installs its own SIGINT/SIGTERM handlers that begin a graceful
// shutdown (in-flight activities finish or heartbeat-time out); run() resolves after it.
const workflowsFrom = !roles.main
  ? "none (no main role)"
  : bundle.kind === "prebuilt"
    ? `prebuilt bundle ${bundle.codePath}`
    : "bundled from source";
log.info(
  {
    taskQueues: worker.taskQueues,
    roles: describeWorkerRoles(roles, providerQueues),
    providers: providers.enabled,
    payments: payments.processor?.id ?? null,
  },
  `worker: roles ${describeWorkerRoles(roles, providerQueues)}; polling ${worker.taskQueues.map((q) => `"${q}"`).join(", ")} on ${describeTemporalConnection(temporal)}; workflows: ${workflowsFrom}; storage: ${storage.store.driver}; providers enabled: ${providers.enabled.join(", ") || "none (Animate only)"}; payments: ${payments.processor?.id ?? "off"}`,
);
try {
  await worker.run();
} catch (error) {
  log.fatal({ err: error }, "worker: stopped on an error");
  process.exitCode = 1;
} finally {
  await connection.close();
  await db.destroy();
  scratch.remove();
  log.info("worker: stopped");
}
