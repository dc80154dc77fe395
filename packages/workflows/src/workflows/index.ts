// The worker bundles this file: every workflow the worker can run is exported here.
export { healthCheckWorkflow } from "./health-check";
export { retentionSweepWorkflow } from "./retention-sweep";
export { deleteGenerationOutputsWorkflow, generationWorkflow } from "./generation";
export { deleteAssetWorkflow } from "./delete-asset";
export { reconcileGenerationsWorkflow } from "./reconcile-generations";
export { paymentEventWorkflow } from "./payment-event";
export { accountDeletionWorkflow } from "./account-deletion";
export { dataExportWorkflow } from "./data-export";
export { webhookDeliveryWorkflow } from "./webhook-delivery";
