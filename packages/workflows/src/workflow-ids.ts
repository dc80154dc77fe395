// Every Temporal workflow id (and schedule id) we make, in one place: the orchestrator that
// starts and signals workflows, the workflows that signal each other and the activities that
// look them up all build ids here, so two sides can never disagree on a name. Pure functions,
// safe in workflow code.

/**
 * Health checks use a fresh id each time (they are probes, not business state) but a fixed
 * prefix so they can be found in the Temporal UI.
 */
export const healthCheckWorkflowId = (nonce: string) => `health-check-${nonce}`;

/**
 * One workflow per generation, its id derived from the generation id: a retried create can
 * never start a second one (Temporal refuses a duplicate running id).
 */
export const generationWorkflowPrefix = "generation-";
export const generationWorkflowId = (generationId: string) => `${generationWorkflowPrefix}${generationId}`;

/** The durable removal of a hidden generation's files; a new run per deletion (undo, delete again). */
export const deleteGenerationOutputsWorkflowId = (generationId: string) => `delete-generation-outputs-${generationId}`;

/** One deletion per asset: deleting twice cannot start a second workflow. */
export const deleteAssetWorkflowId = (assetId: string) => `delete-asset-${assetId}`;

/**
 * One workflow per payment webhook event, its id derived from the processor's event id: a
 * duplicate or retried delivery can never apply an event twice.
 */
export const paymentEventWorkflowId = (processor: string, eventId: string) => `payment-event-${processor}-${eventId}`;

/**
 * One deletion workflow per account, its id derived from the user id: asking twice, or an
 * administrator acting on a child report meanwhile, reaches the same workflow.
 */
export const accountDeletionWorkflowId = (userId: string) => `account-deletion-${userId}`;

/** One workflow per data export, its id derived from the export's: a retried request cannot build twice. */
export const dataExportWorkflowId = (exportId: string) => `data-export-${exportId}`;

/** The Temporal workflow id of a webhook delivery: per (event, endpoint), resends apart. */
export function webhookDeliveryWorkflowId(delivery: {
  deliveryId: string;
  eventId: string;
  endpointId: string;
  manual?: boolean;
}): string {
  const base = `webhook:${delivery.eventId}:${delivery.endpointId}`;
  return delivery.manual ? `${base}:resend:${delivery.deliveryId}` : base;
}

/** Schedules are per task queue; each run's workflow id is the schedule id (Temporal adds the time). */
export const reconcileGenerationsScheduleId = (taskQueue: string) => `${taskQueue}.reconcile-generations`;
export const retentionSweepScheduleId = (taskQueue: string) => `${taskQueue}.retention-sweep`;
