import { proxyActivities } from "@temporalio/workflow";
import type { Activities } from "../activities";
import type { DeleteAssetInput } from "../shared";

// Deleting files must eventually happen even if storage is down for a while: retry with
// backoff for up to a day.
const { deleteAssetBlobs } = proxyActivities<Activities>({
  startToCloseTimeout: "2 minutes",
  scheduleToCloseTimeout: "1 day",
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "10 minutes" },
});

/** Started when a user deletes an upload; the row is hidden before this starts. */
export async function deleteAssetWorkflow(input: DeleteAssetInput): Promise<{ deletedKeys: string[] }> {
  return deleteAssetBlobs(input.assetId);
}
