// The one seam through which the web side (tRPC procedures, REST routes, webhook handlers,
// the health check) drives Temporal: every start, signal, cancel and probe is a named
// operation here, built from the ids in workflow-ids.ts and the type names in shared.ts. It
// starts workflows by type name, so no workflow code is ever imported as a value outside the
// worker. The worker's activities use it too (the reconciler's restart, webhook deliveries), so
// a workflow is started the same way whoever starts it.
import { randomUUID } from "node:crypto";
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from "@temporalio/client";
import type { AccountErasureScheduler } from "@animateimg/account-deletion";
import type { GenerationOrchestrator } from "@animateimg/generations";
import {
  accountDeletionSignals,
  generationSignals,
  workflowTypes,
  type AccountDeletionInput,
  type DataExportWorkflowInput,
  type DeleteAssetInput,
  type DeleteGenerationOutputsInput,
  type GenerationTimeouts,
  type GenerationWorkflowInput,
  type HealthCheckResult,
  type PaymentEventWorkflowInput,
  type ProviderUpdateSignal,
  type WebhookDeliveryWorkflowInput,
} from "../shared";
import {
  accountDeletionWorkflowId,
  dataExportWorkflowId,
  deleteAssetWorkflowId,
  deleteGenerationOutputsWorkflowId,
  generationWorkflowId,
  healthCheckWorkflowId,
  paymentEventWorkflowId,
  webhookDeliveryWorkflowId,
} from "../workflow-ids";

export interface OrchestratorOptions {
  /**
   * The client, or how to get it: the web app passes its TemporalClientSource's `get`, so a
   * Temporal that is down fails the operation that needs it (and only that one), and the
   * connection is made again after an outage.
   */
  client: Client | (() => Promise<Client>);
  taskQueue: string;
  /** Generation timeouts; tests shorten these, production uses the workflow's defaults. */
  timeouts?: GenerationTimeouts;
  /** How long a deleted generation can be restored before its files go. */
  undoWindow?: string;
  /** How long a start may take before the request gives up (Temporal unreachable). Default 10 s. */
  startTimeoutMs?: number;
}

/** A webhook delivery as @animateimg/webhooks plans it (its id comes from these). */
export interface DeliveryToStart {
  deliveryId: string;
  eventId: string;
  endpointId: string;
}

export interface Orchestrator {
  /** Where the workflows go (and where the health check looks for a worker). */
  readonly taskQueue: string;
  /**
   * Waits for a client, then gives the same operations bound to it: a caller that must not
   * write anything when Temporal is down (a generation's create) asks first, and fails there.
   */
  connected(): Promise<Orchestrator>;
  generations: GenerationOrchestrator & {
    /**
     * The reconciler's start, for a generation still queued or running whose workflow is not
     * open (it never started, or ended without settling): same id, a new run. The workflow reads
     * the row first, so a generation that did settle meanwhile ends at once.
     */
    restart(generationId: string): Promise<void>;
    /** A provider called back about a job: the workflow re-reads it. A generation already over is left alone. */
    signalProviderUpdate(generationId: string, update: ProviderUpdateSignal): Promise<void>;
  };
  /** The AccountErasureScheduler of @animateimg/account-deletion: one workflow per account. */
  accountErasure: AccountErasureScheduler;
  /** Applies one stored payment event; idempotent per event. */
  startPaymentEvent(input: PaymentEventWorkflowInput): Promise<void>;
  /** Builds one data export; idempotent per export, bounded like a generation's start. */
  startDataExport(input: { exportId: string }): Promise<void>;
  /** Delivers one event to one endpoint; automatic deliveries never twice, a manual resend on its own. */
  startWebhookDelivery(input: { delivery: DeliveryToStart; manual: boolean }): Promise<void>;
  /** Durably removes a hidden upload's files. */
  startAssetDeletion(input: { assetId: string }): Promise<void>;
  health: {
    /** Temporal itself: a connection, and the namespace answering. */
    ping(options: { timeoutMs: number }): Promise<void>;
    /** A worker on the task queue: a probe workflow must be picked up and run within the time. */
    checkWorker(options: { timeoutMs: number }): Promise<HealthCheckResult>;
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A start whose workflow already exists (running, or finished under REJECT_DUPLICATE) did its job. */
async function startOnce(start: () => Promise<unknown>): Promise<void> {
  try {
    await start();
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return;
    throw error;
  }
}

export function createOrchestrator(options: OrchestratorOptions): Orchestrator {
  const { taskQueue } = options;
  const given = options.client;
  const clientOf = typeof given === "function" ? given : () => Promise.resolve(given);
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  // A deadline: with Temporal unreachable a start would otherwise wait for gRPC's own
  // retries (up to 90 s) while the person stares at a spinner.
  const withStartDeadline = <T>(client: Client, start: () => Promise<T>) =>
    client.withDeadline(Date.now() + startTimeoutMs, start);

  const startGeneration = async (
    generationId: string,
    workflowIdReusePolicy: "REJECT_DUPLICATE" | "ALLOW_DUPLICATE",
  ) => {
    const client = await clientOf();
    const input: GenerationWorkflowInput = {
      generationId,
      ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    };
    await startOnce(() =>
      withStartDeadline(client, () =>
        client.workflow.start(workflowTypes.generation, {
          taskQueue,
          workflowId: generationWorkflowId(generationId),
          args: [input],
          workflowIdReusePolicy,
        }),
      ),
    );
  };

  return {
    taskQueue,
    connected: async () => createOrchestrator({ ...options, client: await clientOf() }),
    generations: {
      /** One workflow per generation: a repeated start after completion is refused too. */
      start: (generationId) => startGeneration(generationId, "REJECT_DUPLICATE"),
      restart: (generationId) => startGeneration(generationId, "ALLOW_DUPLICATE"),

      async requestCancel(generationId) {
        const client = await clientOf();
        try {
          const handle = client.workflow.getHandle(generationWorkflowId(generationId));
          const description = await handle.describe();
          if (description.status.name !== "RUNNING") return false;
          await handle.signal(generationSignals.cancel);
          return true;
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) return false;
          throw error;
        }
      },

      async scheduleOutputDeletion(generationId) {
        const client = await clientOf();
        const input: DeleteGenerationOutputsInput = {
          generationId,
          ...(options.undoWindow ? { undoWindow: options.undoWindow } : {}),
        };
        await startOnce(() =>
          client.workflow.start(workflowTypes.deleteGenerationOutputs, {
            taskQueue,
            workflowId: deleteGenerationOutputsWorkflowId(generationId),
            args: [input],
            workflowIdReusePolicy: "ALLOW_DUPLICATE",
          }),
        );
      },

      async signalProviderUpdate(generationId, update) {
        const client = await clientOf();
        const signal: ProviderUpdateSignal = { provider: update.provider, providerJobId: update.providerJobId };
        try {
          await client.workflow
            .getHandle(generationWorkflowId(generationId))
            .signal(generationSignals.providerUpdate, signal);
        } catch (error) {
          // The generation already ended (a late or repeated callback): nothing left to tell.
          // By name: the web app loads @temporalio/client as an external package, and an
          // instanceof across two copies of it would miss.
          if (error instanceof Error && error.name === "WorkflowNotFoundError") return;
          throw error;
        }
      },
    },

    accountErasure: {
      // Signal-with-start: a running workflow (waiting out its grace period) is told to re-read
      // its request instead of a second one starting.
      async schedule({ userId }) {
        const client = await clientOf();
        const input: AccountDeletionInput = { userId };
        await client.workflow.signalWithStart(workflowTypes.accountDeletion, {
          taskQueue,
          workflowId: accountDeletionWorkflowId(userId),
          args: [input],
          signal: accountDeletionSignals.requestChanged,
          signalArgs: [],
        });
      },
      async notifyChanged({ userId }) {
        const client = await clientOf();
        try {
          await client.workflow
            .getHandle(accountDeletionWorkflowId(userId))
            .signal(accountDeletionSignals.requestChanged);
        } catch (error) {
          // No workflow running: nothing is waiting to be told.
          if (error instanceof WorkflowNotFoundError) return;
          throw error;
        }
      },
    },

    // The id comes from the event, and a finished one is never started again (REJECT_DUPLICATE).
    async startPaymentEvent(input) {
      const client = await clientOf();
      await startOnce(() =>
        client.workflow.start(workflowTypes.paymentEvent, {
          taskQueue,
          workflowId: paymentEventWorkflowId(input.processor, input.eventId),
          args: [input],
          workflowIdReusePolicy: "REJECT_DUPLICATE",
        }),
      );
    },

    // The id comes from the export (REJECT_DUPLICATE); bounded so a request with Temporal
    // unreachable fails in seconds.
    async startDataExport({ exportId }) {
      const client = await clientOf();
      const input: DataExportWorkflowInput = { exportId };
      await startOnce(() =>
        withStartDeadline(client, () =>
          client.workflow.start(workflowTypes.dataExport, {
            taskQueue,
            workflowId: dataExportWorkflowId(exportId),
            args: [input],
            workflowIdReusePolicy: "REJECT_DUPLICATE",
          }),
        ),
      );
    },

    // Automatic deliveries are named by (event, endpoint) and never started twice
    // (REJECT_DUPLICATE); a manual resend has its own id.
    async startWebhookDelivery({ delivery, manual }) {
      const client = await clientOf();
      const input: WebhookDeliveryWorkflowInput = { deliveryId: delivery.deliveryId };
      await startOnce(() =>
        client.workflow.start(workflowTypes.webhookDelivery, {
          taskQueue,
          workflowId: webhookDeliveryWorkflowId({ ...delivery, manual }),
          args: [input],
          workflowIdReusePolicy: "REJECT_DUPLICATE",
        }),
      );
    },

    // Default reuse policy and no already-started shortcut: an existing workflow for the asset
    // fails the call, and the upload router then un-hides the upload and says so.
    async startAssetDeletion({ assetId }) {
      const client = await clientOf();
      const args: [DeleteAssetInput] = [{ assetId }];
      await client.workflow.start(workflowTypes.deleteAsset, {
        taskQueue,
        workflowId: deleteAssetWorkflowId(assetId),
        args,
      });
    },

    health: {
      async ping({ timeoutMs }) {
        // Connecting is bounded on its own: a Temporal that is down must not hold the check.
        const client = await withTimeout(clientOf(), timeoutMs, "Temporal");
        await withTimeout(
          client.workflowService.describeNamespace({ namespace: client.options.namespace }),
          timeoutMs,
          "Temporal",
        );
      },
      async checkWorker({ timeoutMs }) {
        const client = await clientOf();
        const handle = await client.workflow.start<() => Promise<HealthCheckResult>>(workflowTypes.healthCheck, {
          taskQueue,
          workflowId: healthCheckWorkflowId(randomUUID()),
          // The whole probe, including waiting for a worker to pick it up, is bounded.
          workflowExecutionTimeout: `${timeoutMs} ms`,
        });
        try {
          return await withTimeout(handle.result(), timeoutMs, `A worker on task queue "${taskQueue}"`);
        } catch (error) {
          await handle.terminate("health check timed out").catch(() => {});
          throw error;
        }
      },
    },
  };
}
