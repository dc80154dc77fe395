export {
  createGeneration,
  hashGenerationRequest,
  isModelAvailable,
  prepareGeneration,
  type CreateGenerationDeps,
  type CreateGenerationRequest,
} from "./create-generation";
export { toAttemptView, toGenerationView, type AttemptView, type GenerationView } from "./generation-view";
export {
  cancelGeneration,
  deleteGeneration,
  restoreGeneration,
  retryGeneration,
  setGenerationPrivate,
} from "./manage-generation";
export type { GenerationOrchestrator, OwnedAsset, OwnedAssetLookup } from "./orchestrator";
export { getGeneration, getOwnGenerationRow, listGenerations, type ListGenerationsOptions } from "./read-generations";
export {
  finishAttempt,
  markFailed,
  markRunning,
  markSucceeded,
  recordOutput,
  recordProgress,
  recordProviderJobId,
  recordSubmitSent,
  clearSubmitSent,
  recordUncertainJob,
  startAttempt,
  type StoredOutput,
} from "./status-mirror";
export { createDbAssetLookup } from "./owned-assets";
export {
  createGenerationEvents,
  eventsUntilAborted,
  type GenerationEvent,
  type GenerationEvents,
} from "./generation-events";
export { getProviderCircuits, getProviderHealth, type ProviderHealthRow } from "./provider-health";
export {
  deleteOldProviderWebhookEvents,
  findGenerationIdForProviderJob,
  forgetProviderWebhookDelivery,
  recordProviderWebhookDelivery,
} from "./provider-callbacks";
export { listPublicGenerations, type PublicGenerationRow } from "./list-public-generations";
export {
  attemptHasStarted,
  findAttemptProviderJobId,
  getAttemptStartedAt,
  getAttemptSubmitState,
  type AttemptKey,
  type AttemptSubmitState,
} from "./read-attempts";
export {
  clearDeletedGenerationOutputKeys,
  findDeletedGenerationOutputKeys,
  findGenerationPlan,
  findRenderInputs,
  getRoutingInputs,
  getSubmitInputs,
  lockGenerationForReservation,
  type GenerationPlanRow,
  type RenderInputs,
  type RoutingInputs,
  type SubmitInputs,
} from "./read-run-inputs";
export {
  failAbandonedGeneration,
  listActiveGenerations,
  noteGenerationRestart,
  type ActiveGeneration,
} from "./reconcile-generations";
export { quoteGeneration, type GenerationQuote } from "./quote-generation";
export {
  attachJobToUncertainAttempt,
  attemptNamesJob,
  closeUnseenUncertainAttempts,
  listOpenUnclaimedJobs,
  oldestOpenUncertainAttempt,
  recordUnclaimedProviderJob,
  resolveUnclaimedJob,
  type OpenUncertainAttempt,
  type UnclaimedProviderJob,
} from "./uncertain-jobs";
export { englishStatus, storedStatus, wordStatus } from "./status-words";
export {
  eraseDeletedGenerationRows,
  lockDeletedGenerations,
  type DeletedGeneration,
} from "./erase-deleted-generations";
