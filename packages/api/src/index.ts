export { appRouter, createCaller, type AppRouter } from "./root";
export { createTRPCContext, type ApiDependencies, type AuthSession, type SessionUser, type TRPCContext } from "./trpc";
export type { ComponentHealth, PublicSystemHealth, SystemHealth } from "./system/check-system-health";
export type { AccountDependencies } from "./auth/account-dependencies";
export { createSessionResolver } from "./auth/session-resolver";
export { createTrpcFetchHandler, type TrpcFetchHandlerOptions } from "./http/trpc-fetch-handler";
export { withRequestLog, type RequestLogOptions } from "./http/request-log";
export type { UploadDependencies } from "./upload/upload-dependencies";
export type { AssetView } from "./upload/asset-view";
export { createUploadHttpHandler, type UploadHttpHandlerOptions } from "./upload/upload-http-handler";
export { createCodecHttpHandler, type CodecHttpHandlerOptions } from "./temporal-codec/codec-http-handler";
export { createBlobHttpHandler, type BlobHttpHandlerOptions } from "./upload/blob-http-handler";
export {
  createProviderWebhookHttpHandler,
  type ProviderWebhookHttpHandlerOptions,
} from "./webhooks/provider-webhook-http-handler";
export { handleOAuthCallback, handleOAuthStart } from "./http/oauth-handlers";
export {
  createPaymentWebhookHttpHandler,
  type PaymentWebhookHttpHandlerOptions,
} from "./webhooks/payment-webhook-http-handler";
export { createRestApiHandler, REST_API_PREFIX, type RestApiHandlerOptions } from "./rest/rest-http-handler";
export { handleUnsubscribe } from "./privacy/unsubscribe-http-handler";
export {
  DEFAULT_PRIVACY_CONTACT,
  resolvePrivacyDependencies,
  type PrivacyDependencies,
} from "./privacy/privacy-dependencies";
export {
  createDataExportHttpHandler,
  type DataExportHttpHandlerOptions,
  type ExportDownloadRefusal,
} from "./data-export/data-export-http-handler";
