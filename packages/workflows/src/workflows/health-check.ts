import { proxyActivities } from "@temporalio/workflow";
import type { Activities } from "../activities";
import type { HealthCheckResult } from "../shared";

// A probe: fails fast instead of retrying, so `system.health` can report a missing worker.
const { reportWorkerIdentity } = proxyActivities<Activities>({
  startToCloseTimeout: "5 seconds",
  scheduleToCloseTimeout: "10 seconds",
  retry: { maximumAttempts: 1 },
});

/** Round-trips through a worker: the workflow task and one activity task must both be picked up. */
export async function healthCheckWorkflow(): Promise<HealthCheckResult> {
  return reportWorkerIdentity();
}
