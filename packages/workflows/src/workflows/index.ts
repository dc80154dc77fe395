// The worker bundles this file: every workflow the worker can run is exported here.
export { healthCheckWorkflow } from "./health-check";
export { deleteGenerationOutputsWorkflow, generationWorkflow } from "./generation";
export { deleteAssetWorkflow } from "./delete-asset";
export { reconcileGenerationsWorkflow } from "./reconcile-generations";
export { paymentEventWorkflow } from "./payment-event";
export { webhookDeliveryWorkflow } from "./webhook-delivery";
