// The same change as next-release.ts made the wrong way: no `patched()`. Replaying a history
// recorded on today's code must fail with a determinism error — the upgrade test checks that it
// does, so the test would notice if the safe variant stopped proving anything.
import { upsertMemo } from "@temporalio/workflow";
import type { GenerationWorkflowInput, GenerationWorkflowState } from "../../shared";
import { generationWorkflow as currentGenerationWorkflow } from "../generation";

export * from "../index";

export async function generationWorkflow(input: GenerationWorkflowInput): Promise<GenerationWorkflowState> {
  upsertMemo({ workflowCodeRelease: "next" });
  return currentGenerationWorkflow(input);
}
