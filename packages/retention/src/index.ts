export {
  rowClass,
  sweepRetentionClass,
  type RetentionBatch,
  type RetentionClass,
  type RetentionContext,
  type SweepOptions,
  type SweepOutcome,
} from "./retention-class";
export { findRetentionClass, retentionClasses } from "./retention-classes";
export {
  defaultRetentionSettings,
  retentionEnv,
  retentionSettingsFromEnv,
  type RetentionSettings,
} from "./retention-settings";
export { blobReferenceColumns, notBlobKeyColumns, referencedBlobKeys } from "./classes/blob-references";
