import { WorkflowNotFoundError, type Client } from "@temporalio/client";
import type { Db } from "@animateimg/db";
import type { BlobStore } from "@animateimg/storage";
import { failAbandonedGeneration, listActiveGenerations, noteGenerationRestart } from "@animateimg/generations";
import { createOrchestrator } from "../orchestrator";
import { generationWorkflowId } from "../workflow-ids";
import { type GenerationTimeouts, type ReconcileGenerationsInput, type ReconcileGenerationsResult } from "../shared";
import { activityLog } from "./activity-log";

export interface ReconcileActivityDeps {
  db: Db;
  blobStore: BlobStore;
  /** The worker's own client and main task queue: restarted workflows go where they started. */
  temporal?: { client: Client; taskQueue: string; generationTimeouts?: GenerationTimeouts };
}

export function createReconcileActivities(deps: ReconcileActivityDeps) {
  return {
    /**
     * Finds queued or running generations whose workflow is not open (never started: the web
     * process died between insert and start; or ended without settling the row: terminated by
     * an operator) and starts the workflow again under the same id. A generation restarted too
     * often, or too old, is failed and refunded instead (reason `abandoned`).
     */
    async reconcileGenerations(input: ReconcileGenerationsInput): Promise<ReconcileGenerationsResult> {
      const temporal = deps.temporal;
      if (!temporal) throw new Error("reconcileGenerations needs the worker's Temporal client");
      const graceMs = input.graceMs ?? 60_000;
      const maxRestarts = input.maxRestarts ?? 3;
      const giveUpAfterMs = input.giveUpAfterMs ?? 24 * 3600_000;
      const now = Date.now();
      const orchestrator = createOrchestrator({
        client: temporal.client,
        taskQueue: temporal.taskQueue,
        ...(temporal.generationTimeouts ? { timeouts: temporal.generationTimeouts } : {}),
      });
      const candidates = await listActiveGenerations(deps.db, {
        createdBefore: new Date(now - graceMs),
        limit: input.limit ?? 200,
      });
      const result: ReconcileGenerationsResult = { checked: candidates.length, restarted: [], failed: [] };
      for (const generation of candidates) {
        let open = false;
        try {
          const description = await temporal.client.workflow.getHandle(generationWorkflowId(generation.id)).describe();
          open = description.status.name === "RUNNING";
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }
        if (open) continue;
        if (generation.restarts >= maxRestarts || now - generation.createdAt.getTime() > giveUpAfterMs) {
          const detached = await failAbandonedGeneration(deps.db, generation.id, "abandoned");
          for (const key of detached) await deps.blobStore.delete(key);
          result.failed.push(generation.id);
          continue;
        }
        await noteGenerationRestart(deps.db, generation.id);
        await orchestrator.generations.restart(generation.id);
        result.restarted.push(generation.id);
      }
      if (result.restarted.length > 0 || result.failed.length > 0) {
        activityLog().warn(
          `reconciler: restarted ${result.restarted.length} and failed ${result.failed.length} generations that had no open workflow`,
          { restarted: result.restarted, failed: result.failed },
        );
      }
      return result;
    },
  };
}
