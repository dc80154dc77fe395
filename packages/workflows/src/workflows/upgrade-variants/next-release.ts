// A "next release" of the workflow code, made the way a real change must be made: the new
// behaviour (here: the generation workflow marks itself with a memo before anything else) is
// behind `patched()`. A generation started on today's code and replayed by a worker running
// this bundle takes the old path (no marker in its history) and finishes; one started on this
// code takes the new path. The upgrade and production-process tests bundle this entry instead of
// ../index.ts to stand in for a deploy of changed code.
import { patched, upsertMemo } from "@temporalio/workflow";
import type { GenerationWorkflowInput, GenerationWorkflowState } from "../../shared";
import { generationWorkflow as currentGenerationWorkflow } from "../generation";

// Every workflow type of today's bundle; the local generationWorkflow below replaces that one.
export * from "../index";

/** The patch id of the change; never reused for another change. */
export const nextReleasePatchId = "next-release-generation-memo";

export async function generationWorkflow(input: GenerationWorkflowInput): Promise<GenerationWorkflowState> {
  if (patched(nextReleasePatchId)) upsertMemo({ workflowCodeRelease: "next" });
  return currentGenerationWorkflow(input);
}

/** Lets a test ask a worker which code it runs. */
export function workflowCodeReleaseWorkflow(): Promise<string> {
  return Promise.resolve("next");
}
