// Names that clients, workers and workflows must agree on. Safe to import anywhere,
// including workflow code: no I/O here.

/** Workflow type names, as registered by the worker's bundle. */
export const workflowTypes = {
  healthCheck: "healthCheckWorkflow",
} as const;

/**
 * Health checks use a fresh id each time (they are probes, not business state) but a fixed
 * prefix so they can be found in the Temporal UI.
 */
export const healthCheckWorkflowId = (nonce: string) => `health-check-${nonce}`;

export interface HealthCheckResult {
  /** The worker's identity as reported by the activity that ran. */
  workerIdentity: string;
  /** When the activity ran, per the worker's clock (ms since epoch). */
  activityRanAt: number;
}
