import type { HealthCheckResult } from "../shared";

/** Proves a worker polls the task queue and can run activities. */
export function createHealthActivities({ workerIdentity }: { workerIdentity: string }) {
  return {
    reportWorkerIdentity(): Promise<HealthCheckResult> {
      return Promise.resolve({ workerIdentity, activityRanAt: Date.now() });
    },
  };
}
