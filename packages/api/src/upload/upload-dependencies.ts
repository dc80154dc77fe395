import type { PhotoLimits, ReferenceVideoLimits } from "@animateimg/assets";
import type { BlobStore, BlobUrlSigner } from "@animateimg/storage";

/** What upload.*, the upload route and the blob route need; apps build it once from env. */
export interface UploadDependencies {
  store: BlobStore;
  signer: BlobUrlSigner;
  /** Lifetime of signed blob URLs (15 minutes unless given). */
  urlTtlSeconds?: number;
  photoLimits?: PhotoLimits;
  videoLimits?: ReferenceVideoLimits;
  /** Where upload bodies are spooled while they are checked (the OS temp folder unless given). */
  scratchDir?: string;
}
