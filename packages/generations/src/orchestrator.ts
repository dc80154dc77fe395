/**
 * What the generation rules need from the durable-execution side. The API layer implements
 * it with a Temporal client; nothing in this package imports Temporal.
 */
export interface GenerationOrchestrator {
  /** Starts the generation's workflow; resolves without error if it already exists. */
  start(generationId: string): Promise<void>;
  /** Asks a running generation to stop; false when no workflow is running for it. */
  requestCancel(generationId: string): Promise<boolean>;
  /** Durably removes a hidden generation's stored files. */
  scheduleOutputDeletion(generationId: string): Promise<void>;
}

/** Looks up assets the user owns among `assetIds`, with what pricing and validation need. */
export type OwnedAssetLookup = (userId: string, assetIds: string[]) => Promise<OwnedAsset[]>;

export interface OwnedAsset {
  id: string;
  kind: "image" | "video";
  durationMs: number | null;
}
