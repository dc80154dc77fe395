import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Client } from "@temporalio/client";
import { historyToJSON } from "@temporalio/common/lib/proto-utils";
import { generationWorkflowId } from "../workflow-ids";

const historiesDir = path.join(import.meta.dirname, "..", "workflows", "histories");

/**
 * `pnpm --filter @animateimg/workflows histories:record` re-runs the generation tests with
 * RECORD_WORKFLOW_HISTORIES=1, and each scenario that calls this saves its event history as
 * `histories/generation-<name>.json`; replay.test.ts replays them all on every CI run, so a
 * change that would break running workflows fails there. Otherwise this does nothing.
 * A prefix (RECORD_WORKFLOW_HISTORIES_PREFIX) records a new set beside the old one, e.g. after
 * a patched() change, so that histories of workflows started before it keep being replayed too.
 */
export async function recordGenerationHistory(
  client: Pick<Client, "workflow">,
  name: string,
  generationId: string,
): Promise<void> {
  if (process.env.RECORD_WORKFLOW_HISTORIES !== "1") return;
  const history = await client.workflow.getHandle(generationWorkflowId(generationId)).fetchHistory();
  mkdirSync(historiesDir, { recursive: true });
  const prefix = process.env.RECORD_WORKFLOW_HISTORIES_PREFIX ?? "";
  writeFileSync(path.join(historiesDir, `generation-${prefix}${name}.json`), historyToJSON(history));
}
