import { patched, proxyActivities } from "@temporalio/workflow";
import type { Activities } from "../activities";
import type { ReconcileGenerationsInput, ReconcileGenerationsResult } from "../shared";

// One pass per minute (a Temporal Schedule): if it fails, the next minute's pass does the same
// work, so a few retries are enough.
const reconcile = proxyActivities<Activities>({
  startToCloseTimeout: "2 minutes",
  retry: { initialInterval: "2 seconds", maximumAttempts: 3 },
});

/**
 * Starts again, or ends, generations that have no open workflow (see reconcileGenerations), then
 * settles uncertain submits (see reconcileUncertainJobs).
 */
export async function reconcileGenerationsWorkflow(
  input: ReconcileGenerationsInput = {},
): Promise<ReconcileGenerationsResult> {
  const result = await reconcile.reconcileGenerations(input);
  // Then the submits whose answer was lost at providers we cannot search by our id.
  if (patched("reconcile-uncertain-jobs"))
    result.uncertainJobs = await reconcile.reconcileUncertainJobs(input.uncertainJobs ?? {});
  return result;
}
