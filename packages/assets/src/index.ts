export { toAsset, type Asset } from "./asset";
export {
  findBlobAccess,
  getAsset,
  hideAsset,
  listAssetOriginals,
  listOwnedAssetKinds,
  listAssets,
  purgeAssetBlobs,
  eraseDeletedAssetsNoLongerUsed,
  unhideAsset,
  type AssetOriginal,
  type BlobAccess,
  type ListAssetsOptions,
} from "./asset-queries";
export { blobUrlPath, signAssetUrls, type AssetUrls } from "./asset-urls";
export { createAssetFromUpload, type CreateAssetOptions } from "./create-asset";
export { sanitizeDisplayName } from "./display-name";
export { mimeByFormat, sniffContent, type SniffedType } from "./sniff-content";
export {
  defaultPhotoLimits,
  defaultReferenceVideoLimits,
  formatBytes,
  maxUploadBytes,
  referenceVideoLimitsByModel,
  type PhotoLimits,
  type ReferenceVideoLimits,
} from "./upload-limits";
