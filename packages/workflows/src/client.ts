// Client-side use of the workflows, for the web app and scripts: starts, signals and queries
// by type name, so no workflow code is ever imported as a value outside the worker.
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from "@temporalio/client";
import {
  accountDeletionSignals,
  accountDeletionWorkflowId,
  dataExportWorkflowId,
  generationSignals,
  generationWorkflowId,
  type AccountDeletionInput,
  paymentEventWorkflowId,
  workflowTypes,
  type DataExportWorkflowInput,
  type PaymentEventWorkflowInput,
  type WebhookDeliveryWorkflowInput,
  type DeleteGenerationOutputsInput,
  type GenerationTimeouts,
  type GenerationWorkflowInput,
} from "./shared";
import { clientConnectionOptions, type TemporalConnectionSettings } from "./connection-settings";
import { dataConverterFor } from "./payload-codec";
import { webhookDeliveryWorkflowId, type PlannedDelivery } from "@animateimg/webhooks";

export interface TemporalGenerationOrchestratorOptions {
  client: Client;
  taskQueue: string;
  /** Tests shorten these. */
  timeouts?: GenerationTimeouts;
  undoWindow?: string;
  /** How long a start may take before the create gives up (Temporal unreachable). Default 10 s. */
  startTimeoutMs?: number;
}

/** The GenerationOrchestrator of @animateimg/generations, on Temporal. */
export function createTemporalGenerationOrchestrator(options: TemporalGenerationOrchestratorOptions) {
  const { client, taskQueue } = options;
  const startGeneration = async (generationId: string, workflowIdReusePolicy: "REJECT_DUPLICATE" | "ALLOW_DUPLICATE") => {
    const input: GenerationWorkflowInput = { generationId, ...(options.timeouts ? { timeouts: options.timeouts } : {}) };
    try {
      // A deadline: with Temporal unreachable a start would otherwise wait for gRPC's own
      // retries (up to 90 s) while the person stares at a spinner.
      await client.withDeadline(Date.now() + (options.startTimeoutMs ?? 10_000), () =>
        client.workflow.start(workflowTypes.generation, {
          taskQueue,
          workflowId: generationWorkflowId(generationId),
          args: [input],
          workflowIdReusePolicy,
        }),
      );
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      throw error;
    }
  };
  return {
    /** One workflow per generation: a repeated start after completion is refused too. */
    start: (generationId: string): Promise<void> => startGeneration(generationId, "REJECT_DUPLICATE"),

    /**
     * The reconciler's start, for a generation still queued or running whose workflow is not
     * open (it never started, or ended without settling): same id, a new run. The workflow reads
     * the row first, so a generation that did settle meanwhile ends at once.
     */
    restart: (generationId: string): Promise<void> => startGeneration(generationId, "ALLOW_DUPLICATE"),

    async requestCancel(generationId: string): Promise<boolean> {
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

    async scheduleOutputDeletion(generationId: string): Promise<void> {
      const input: DeleteGenerationOutputsInput = { generationId, ...(options.undoWindow ? { undoWindow: options.undoWindow } : {}) };
      try {
        await client.workflow.start(workflowTypes.deleteGenerationOutputs, {
          taskQueue,
          workflowId: `delete-generation-outputs-${generationId}`,
          args: [input],
          workflowIdReusePolicy: "ALLOW_DUPLICATE",
        });
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return;
        throw error;
      }
    },
  };
}

/**
 * Starts the workflow that applies one stored payment event. Idempotent: the id comes from the
 * event, and a finished one is never started again (REJECT_DUPLICATE).
 */
export async function startPaymentEventWorkflow(client: Pick<Client, "workflow">, options: { taskQueue: string } & PaymentEventWorkflowInput): Promise<void> {
  const { taskQueue, ...input } = options;
  try {
    await client.workflow.start(workflowTypes.paymentEvent, {
      taskQueue,
      workflowId: paymentEventWorkflowId(input.processor, input.eventId),
      args: [input],
      workflowIdReusePolicy: "REJECT_DUPLICATE",
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return;
    throw error;
  }
}

/**
 * The AccountErasureScheduler of @animateimg/account-deletion, on Temporal: one workflow per
 * account. Scheduling is signal-with-start, so a running workflow (waiting out its grace
 * period) is told to re-read its request instead of a second one starting.
 */
export function createTemporalAccountErasureScheduler(options: { client: Pick<Client, "workflow">; taskQueue: string }) {
  const { client, taskQueue } = options;
  return {
    async schedule({ userId }: { userId: string }): Promise<void> {
      const input: AccountDeletionInput = { userId };
      await client.workflow.signalWithStart(workflowTypes.accountDeletion, {
        taskQueue,
        workflowId: accountDeletionWorkflowId(userId),
        args: [input],
        signal: accountDeletionSignals.requestChanged,
        signalArgs: [],
      });
    },
    async notifyChanged({ userId }: { userId: string }): Promise<void> {
      try {
        await client.workflow.getHandle(accountDeletionWorkflowId(userId)).signal(accountDeletionSignals.requestChanged);
      } catch (error) {
        // No workflow running: nothing is waiting to be told.
        if (error instanceof WorkflowNotFoundError) return;
        throw error;
      }
    },
  };
}

/**
 * Starts the workflow that builds one data export. Idempotent: the id comes from the export,
 * and a finished one is never started again (REJECT_DUPLICATE). Bounded like a generation's
 * start, so a request with Temporal unreachable fails in seconds.
 */
export async function startDataExportWorkflow(
  client: Pick<Client, "workflow" | "withDeadline">,
  options: { taskQueue: string; startTimeoutMs?: number } & DataExportWorkflowInput,
): Promise<void> {
  const input: DataExportWorkflowInput = { exportId: options.exportId };
  try {
    await client.withDeadline(Date.now() + (options.startTimeoutMs ?? 10_000), () =>
      client.workflow.start(workflowTypes.dataExport, {
        taskQueue: options.taskQueue,
        workflowId: dataExportWorkflowId(options.exportId),
        args: [input],
        workflowIdReusePolicy: "REJECT_DUPLICATE",
      }),
    );
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return;
    throw error;
  }
}

/**
 * Starts the delivery of one event to one endpoint. Automatic deliveries are named by (event,
 * endpoint) and never started twice (REJECT_DUPLICATE); a manual resend has its own id.
 */
export async function startWebhookDeliveryWorkflow(
  client: Pick<Client, "workflow">,
  options: { taskQueue: string; delivery: PlannedDelivery; manual: boolean },
): Promise<void> {
  const input: WebhookDeliveryWorkflowInput = { deliveryId: options.delivery.deliveryId };
  try {
    await client.workflow.start(workflowTypes.webhookDelivery, {
      taskQueue: options.taskQueue,
      workflowId: webhookDeliveryWorkflowId({ ...options.delivery, manual: options.manual }),
      args: [input],
      workflowIdReusePolicy: "REJECT_DUPLICATE",
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return;
    throw error;
  }
}

export interface TemporalClientSource {
  /** The process's client, (re)connecting when needed. */
  get(): Promise<Client>;
  close(): Promise<void>;
}

/**
 * One Temporal connection per process that recovers quickly after an outage: gRPC's reconnect
 * backoff is capped at 2 s (by default it grows to minutes), and a connection that fails a
 * cheap liveness check (at most every 5 s, only when used) is closed and made again, so the
 * web side is back within seconds of the server.
 */
export function createTemporalClientSource(options: TemporalConnectionSettings & { connectTimeoutMs?: number }): TemporalClientSource {
  let current: Promise<{ connection: Connection; client: Client }> | undefined;
  let checkedAt = 0;
  const connect = () =>
    Connection.connect({
      ...clientConnectionOptions(options),
      connectTimeout: options.connectTimeoutMs ?? 3000,
      channelArgs: {
        "grpc.initial_reconnect_backoff_ms": 250,
        "grpc.min_reconnect_backoff_ms": 250,
        "grpc.max_reconnect_backoff_ms": 2000,
        "grpc.keepalive_time_ms": 10_000,
        "grpc.keepalive_timeout_ms": 3000,
        "grpc.keepalive_permit_without_calls": 1,
      },
    }).then((connection) => ({ connection, client: new Client({ connection, namespace: options.namespace, ...dataConverterFor(options.payloadKeys) }) }));
  const drop = (stale: Promise<{ connection: Connection }>) => {
    if (current === stale) current = undefined;
    void stale.then((c) => c.connection.close()).catch(() => {});
  };
  return {
    async get() {
      const mine = (current ??= connect());
      let made: { connection: Connection; client: Client };
      try {
        made = await mine;
      } catch (error) {
        if (current === mine) current = undefined; // try again on the next call
        throw error;
      }
      if (Date.now() - checkedAt > 5000) {
        try {
          await made.connection.withDeadline(Date.now() + 1500, () => made.connection.workflowService.getSystemInfo({}));
          checkedAt = Date.now();
        } catch {
          // Unreachable now: start over with a fresh connection (the old channel may sit in a
          // long backoff), and let this call fail with the fresh connection's answer.
          drop(mine);
          const fresh = (current ??= connect());
          return (await fresh).client;
        }
      }
      return made.client;
    },
    async close() {
      const last = current;
      current = undefined;
      if (last) await (await last).connection.close().catch(() => {});
    },
  };
}
