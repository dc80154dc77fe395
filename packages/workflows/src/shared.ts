// Names that clients, workers and workflows must agree on. Safe to import anywhere,
// including workflow code and the web app: no I/O here. Workflow ids live in workflow-ids.ts.
import type { Status } from "@animateimg/core";

/** Workflow type names, as registered by the worker's bundle. */
export const workflowTypes = {
  healthCheck: "healthCheckWorkflow",
  generation: "generationWorkflow",
  deleteGenerationOutputs: "deleteGenerationOutputsWorkflow",
  deleteAsset: "deleteAssetWorkflow",
  retentionSweep: "retentionSweepWorkflow",
  reconcileGenerations: "reconcileGenerationsWorkflow",
  paymentEvent: "paymentEventWorkflow",
  accountDeletion: "accountDeletionWorkflow",
  dataExport: "dataExportWorkflow",
  webhookDelivery: "webhookDeliveryWorkflow",
} as const;

/**
 * Renders by the in-house engine run on their own task queue beside the main one, served by
 * a worker with as many slots as cores: a burst of generations queues up instead of starting
 * fifty ffmpeg processes at once. Remote providers get the same treatment per provider.
 */
export const localRenderTaskQueue = (taskQueue: string) => `${taskQueue}.local-render`;

/** Signal names on the generation workflow. */
export const generationSignals = {
  /** A provider called back about a job: the workflow re-reads the job's status. */
  providerUpdate: "providerUpdate",
  /** The user asked to cancel. */
  cancel: "cancel",
} as const;

export interface ProviderUpdateSignal {
  provider: string;
  providerJobId: string;
}

export interface HealthCheckResult {
  /** The worker's identity as reported by the activity that ran. */
  workerIdentity: string;
  /** When the activity ran, per the worker's clock (ms since epoch). */
  activityRanAt: number;
  /**
   * The worker's own database connection, checked by the same activity: a worker that cannot
   * reach Postgres fails every render, so it must not count as healthy.
   */
  database?: { ok: boolean; latencyMs: number; error: string | null };
}

/** Read once at the start of a generation workflow. */
export interface GenerationPlan {
  userId: string;
  modelId: string;
  modelLabel: string;
  priceCredits: number;
  status: string;
}

/**
 * `status` says why, as a code; histories recorded before statuses were codes have only the
 * English `message` (kept for them and for logs).
 */
export type ReservationOutcome = { ok: true } | { ok: false; message: string; status?: Status };

/** The generation workflow's own view of its run (its result), mirrored to Postgres by activities. */
export interface GenerationWorkflowState {
  phase: "reserving" | "running" | "storing" | "settling" | "succeeded" | "failed" | "canceled";
  route: string | null;
  attemptNo: number;
  progress: number;
  /** What the owner is told, as a code and its parameters (the web app words it). */
  status: Status;
}

/**
 * Where a provider's finished video can be downloaded. Never carries credentials: this is
 * recorded in workflow history.
 */
export interface ProviderOutput {
  outputUrl: string;
  provider: string;
}

/**
 * Remote provider activities run on a task queue per provider, each served by a worker whose
 * slots and rate match the provider's documented limits: a burst waits in the queue instead
 * of tripping 429s.
 */
export const providerTaskQueue = (taskQueue: string, provider: string) => `${taskQueue}.provider.${provider}`;

/** Timeouts a test can shorten; production uses the defaults in the workflow. */
export interface GenerationTimeouts {
  /**
   * The longest one provider may take once the job reached it, before we fall back to the
   * next (time waiting for one of our own slots does not count). Default 20 minutes.
   */
  providerAttemptTimeoutMs?: number;
  /** Backstop for the whole wait at one provider, our queue included (durable timer). Default 6 h. */
  providerWaitBackstopMs?: number;
  /** Between two status polls when no webhook arrives. */
  providerPollIntervalMs?: number;
  /** First backoff of a retried provider call (5xx); doubles each time. */
  providerRetryInitialInterval?: string;
  /** A render that reports nothing for this long is presumed dead and retried on another worker. */
  renderHeartbeatTimeout?: string;
  /** The longest a single render may take. */
  renderStartToCloseTimeout?: string;
  /** How long a step waits out our own Postgres or storage being down before failing. Default 1 h. */
  infrastructureWaitMs?: number;
  /** How often an attempt waiting for a provider slot checks the provider's circuit. Default 15 s. */
  providerSlotWatchMs?: number;
}

export interface GenerationWorkflowInput {
  generationId: string;
  timeouts?: GenerationTimeouts;
}

export interface DeleteGenerationOutputsInput {
  generationId: string;
  /** How long an undo stays possible before files are removed. */
  undoWindow?: string;
}

export interface DeleteAssetInput {
  assetId: string;
}

/** Bounds of one reconciler pass; production uses the defaults. */
export interface ReconcileGenerationsInput {
  /** A generation younger than this is left alone (its create may still be starting it). Default 60 s. */
  graceMs?: number;
  /** Restarts after which a generation is failed and refunded instead. Default 3. */
  maxRestarts?: number;
  /** Age after which a generation with no open workflow is failed and refunded. Default 24 h. */
  giveUpAfterMs?: number;
  /** Generations looked at per pass. Default 200. */
  limit?: number;
  /** The pass over submits whose answer was lost at providers we cannot search by our id. */
  uncertainJobs?: ReconcileUncertainJobsInput;
}

export interface ReconcileGenerationsResult {
  checked: number;
  restarted: string[];
  failed: string[];
  /** The pass over uncertain submits (absent in passes that started before it existed). */
  uncertainJobs?: ReconcileUncertainJobsResult;
}

export interface ReconcileUncertainJobsInput {
  /** An uncertain submit with no job seen this long after it was sent is closed as unseen. Default 24 h. */
  unseenAfterMs?: number;
  /** Unclaimed jobs looked at per pass. Default 100. */
  limit?: number;
}

export interface ReconcileUncertainJobsResult {
  /** Jobs found for uncertain submits: recorded on the attempt and stopped at the provider. */
  attached: Array<{ provider: string; providerJobId: string; generationId: string; attemptNo: number }>;
  /** Unclaimed jobs an attempt named meanwhile (a late answer). */
  claimed: number;
  /** Unclaimed jobs the provider does not know, or that nothing of ours could have made. */
  notOurs: number;
  /** Uncertain submits closed with no job seen, by provider. */
  unseen: Record<string, number>;
}

/** One run of the retention sweep (the hourly schedule passes none of these). */
export interface RetentionSweepInput {
  /** Only these classes (default: every class the worker knows). */
  classes?: string[];
  /** Rows or files per batch. Default 500. */
  batchSize?: number;
  /** Batches per class per run (bounds a run; the next run continues). Default 200. */
  maxBatches?: number;
}

export interface SweepRetentionClassInput {
  classId: string;
  batchSize?: number;
  maxBatches?: number;
}

export interface RetentionClassOutcome {
  removed: number;
  /** False when the run stopped at its bound with more to remove. */
  complete: boolean;
}

/** What a sweep removed, by class (`@animateimg/retention` lists the classes). */
export interface RetentionSweepResult {
  /** Items removed, by class id. */
  removed: Record<string, number>;
  /** Classes that reached the run's bound with more to remove (the next run continues). */
  incomplete: string[];
  /** Classes that still failed after their retries, with the error; the others ran anyway. */
  failed: Record<string, string>;
}

export interface PaymentEventWorkflowInput {
  processor: "stripe" | "creem";
  eventId: string;
  /** How long one apply may take before Temporal retries it elsewhere (tests shorten it). Default 1 minute. */
  applyTimeout?: string;
}

/** Signal names on the account-deletion workflow. */
export const accountDeletionSignals = {
  /** The request was canceled or its date changed: the workflow reads it again. */
  requestChanged: "accountDeletionRequestChanged",
} as const;

export interface AccountDeletionInput {
  userId: string;
}

/** What a finished deletion removed, by class (counts only: the person is gone). */
export type AccountDeletionResult =
  | { outcome: "canceled" }
  | {
      outcome: "erased";
      generations: number;
      uploads: number;
      blobs: number;
      subscriptionsCanceled: number;
      providerCopies: { deleted: number; not_supported: number; failed: number };
      outboxRows: number;
      rateLimitKeys: number;
    };

export interface DataExportWorkflowInput {
  exportId: string;
}
/** One outbound webhook delivery (an event to an endpoint); see @animateimg/webhooks. */
export interface WebhookDeliveryWorkflowInput {
  deliveryId: string;
}

/** Waits between a delivery's attempts (the last repeats) and when to give up, from its start. */
export interface WebhookSchedule {
  delaysMs: number[];
  giveUpAfterMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Standard Webhooks' suggested schedule: 5 s, 5 min, 30 min, 2 h, 5 h, then every 10 h, for up to 3 days. */
export const DEFAULT_WEBHOOK_SCHEDULE: WebhookSchedule = {
  delaysMs: [5_000, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR],
  giveUpAfterMs: 72 * HOUR,
};
