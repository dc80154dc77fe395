import { proxyActivities } from "@temporalio/workflow";
import type { Activities } from "../activities";
import type { DataExportWorkflowInput } from "../shared";

// The build reads every file of an account, so it may take long; its heartbeats (at least
// every 5 s) let a dead worker be noticed within a minute and the build start over elsewhere.
// Storage or Postgres down for a while: retried with backoff for about half an hour, then the
// export fails and Settings offers a new one.
const { buildDataExport } = proxyActivities<Activities>({
  startToCloseTimeout: "6 hours",
  heartbeatTimeout: "1 minute",
  retry: { initialInterval: "5 seconds", backoffCoefficient: 2, maximumInterval: "5 minutes", maximumAttempts: 8 },
});

// Bookkeeping and the email must happen eventually: retried for up to a day.
const { sendDataExportReadyEmail, failDataExport } = proxyActivities<Activities>({
  startToCloseTimeout: "1 minute",
  scheduleToCloseTimeout: "1 day",
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "10 minutes" },
});

/**
 * One per export (id from the export id). Builds the archive, then emails the signed link.
 * Expiry is not a timer here: the archive's row carries expires_at and the hourly retention
 * sweep deletes archives past it, so no workflow waits seven days per export.
 */
export async function dataExportWorkflow(
  input: DataExportWorkflowInput,
): Promise<{ status: "ready" | "failed" | "not_pending" }> {
  let built: Awaited<ReturnType<Activities["buildDataExport"]>>;
  try {
    built = await buildDataExport(input.exportId);
  } catch {
    await failDataExport({ exportId: input.exportId, errorCode: "build_failed" });
    return { status: "failed" };
  }
  if (built.status !== "ready") return { status: "not_pending" };
  await sendDataExportReadyEmail(input.exportId);
  return { status: "ready" };
}
