export {
  DEFAULT_DELETION_GRACE_PERIOD_MS,
  DEFAULT_REAUTHENTICATION_WINDOW_MS,
  defaultAccountDeletionSettings,
  type AccountDeletionSettings,
  type AccountErasureScheduler,
} from "./deletion-settings";
export { requestAccountDeletion, type RequestAccountDeletionOptions } from "./request-account-deletion";
export { cancelAccountDeletion } from "./cancel-account-deletion";
export { requestChildAccountDeletion } from "./request-child-account-deletion";
export {
  getAccountDeletionStatus,
  type AccountDeletionStatus,
  type Reauthentication,
} from "./get-account-deletion-status";
export {
  beginAccountErasure,
  DEFAULT_ERASURE_BATCH_SIZE,
  eraseAccountRecord,
  eraseAssetBatch,
  eraseExportArchives,
  eraseGenerationBatch,
  listActiveGenerationIds,
  settleProviderCopies,
  type BeginErasureResult,
  type ProviderCopyRemover,
} from "./erase-account";
export { emailBearingColumns, keptForAccounting, userReferenceInventory } from "./user-data-inventory";
