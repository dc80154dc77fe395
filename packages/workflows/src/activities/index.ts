import type { Db } from "@animateimg/db";
import { createAccountDeletionActivities, type AccountDeletionActivityDeps } from "./account-deletion-activities";
import { createGenerationActivities, type GenerationActivityDeps } from "./generation-activities";
import { createDataExportActivities, type DataExportActivityDeps } from "./data-export-activities";
import { createHealthActivities } from "./health-activities";
import { createPaymentActivities, type PaymentActivityDeps } from "./payment-activities";
import { storageFailuresMarked, withInfrastructureFailures } from "./infrastructure-failure";
import { createProviderActivities, type ProviderActivityDeps } from "./provider-activities";
import { createReconcileActivities, type ReconcileActivityDeps } from "./reconcile-activities";
import { createRetentionActivities, type RetentionActivityDeps } from "./retention-activities";
import { createStorageActivities } from "./storage-activities";
import { createUncertainJobActivities } from "./uncertain-job-activities";
import { createWebhookActivities, type WebhookActivityDeps } from "./webhook-activities";

/** Everything activities need from the outside world; the worker builds it once. */
export interface ActivityDependencies
  extends
    GenerationActivityDeps,
    ProviderActivityDeps,
    ReconcileActivityDeps,
    PaymentActivityDeps,
    AccountDeletionActivityDeps,
    DataExportActivityDeps,
    WebhookActivityDeps {
  db: Db;
  /** How this worker names itself to Temporal (host and pid by default). */
  workerIdentity: string;
  /** Retention periods of the sweep (RETENTION_* variables); the defaults when omitted. */
  retention?: RetentionActivityDeps["retention"];
}

/** All activities, built from injected dependencies so tests can run them without a worker. */
export function createActivities(given: ActivityDependencies) {
  // Storage errors are marked as ours, and every activity reports Postgres or storage being
  // unavailable as one failure type the workflow waits out (see infrastructure-failure.ts).
  const deps = { ...given, blobStore: storageFailuresMarked(given.blobStore) };
  return withInfrastructureFailures({
    ...createHealthActivities({ workerIdentity: deps.workerIdentity, db: deps.db }),
    ...createGenerationActivities(deps),
    ...createProviderActivities(deps),
    ...createStorageActivities(deps),
    ...createReconcileActivities(deps),
    ...createRetentionActivities(deps),
    ...createUncertainJobActivities(deps),
    ...createPaymentActivities(deps),
    ...createAccountDeletionActivities(deps),
    ...createDataExportActivities(deps),
    ...createWebhookActivities(deps),
  });
}

export type Activities = ReturnType<typeof createActivities>;
