// Client-side use of the workflows, for the web app and scripts: starts, signals and queries
// by type name, so no workflow code is ever imported as a value outside the worker.
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from "@temporalio/client";
import {
  generationSignals,
  generationWorkflowId,
  paymentEventWorkflowId,
  workflowTypes,
  type PaymentEventWorkflowInput,
  type DeleteGenerationOutputsInput,
  type GenerationTimeouts,
  type GenerationWorkflowInput,
} from "./shared";

export interface TemporalGenerationOrchestratorOptions {
  client: Client;
  taskQueue: string;
  /** Tests shorten these. */
  timeouts?: GenerationTimeouts;
  undoWindow?: string;
}

/** The GenerationOrchestrator of @animateimg/generations, on Temporal. */
export function createTemporalGenerationOrchestrator(options: TemporalGenerationOrchestratorOptions) {
  const { client, taskQueue } = options;
  const startGeneration = async (generationId: string, workflowIdReusePolicy: "REJECT_DUPLICATE" | "ALLOW_DUPLICATE") => {
    const input: GenerationWorkflowInput = { generationId, ...(options.timeouts ? { timeouts: options.timeouts } : {}) };
    try {
      await client.workflow.start(workflowTypes.generation, {
        taskQueue,
        workflowId: generationWorkflowId(generationId),
        args: [input],
        workflowIdReusePolicy,
      });
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
