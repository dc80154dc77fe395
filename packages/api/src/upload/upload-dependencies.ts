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
  /** Uploads one user may send per hour (120 unless given); refusals count too. */
  maxUploadsPerHour?: number;
  /** Where upload bodies are spooled while they are checked (the OS temp folder unless given). */
  scratchDir?: string;
}
