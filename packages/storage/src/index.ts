export {
  isStreamSource,
  parseRangeHeader,
  rangeLength,
  readBody,
  resolveRange,
  type BlobPage,
  type BlobRead,
  type BlobSource,
  type BlobStat,
  type BlobStore,
  type ByteRange,
  type ListedBlob,
  type ListOptions,
  type ParsedRange,
  type PutOptions,
  type StoredBlob,
} from "./blob-store";
export {
  BlobIntegrityError,
  createLocalEncryptedStore,
  type LocalEncryptedStoreOptions,
} from "./local-encrypted-store";
export { createS3Store, type S3StoreOptions } from "./s3-store";
export { createUploadThingStore, type UploadThingStoreOptions } from "./uploadthing-store";
export {
  createBlobUrlSigner,
  PROVIDER_SUBJECT,
  PUBLIC_SUBJECT,
  type BlobGrant,
  type BlobTokenVerification,
  type BlobUrlSigner,
} from "./signed-url";
export {
  createStorageFromEnv,
  parseEncryptionKeys,
  storageEnv,
  type StorageEnv,
  type StorageServices,
} from "./storage-config";
