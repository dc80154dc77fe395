export {
  ProviderError,
  type JobStatus,
  type ParsedWebhook,
  type ProviderAdapter,
  type ProviderErrorKind,
  type RouteMedia,
  type SubmitMedia,
  type SubmitRequest,
  type SubmitResult,
  type WebhookRequest,
} from "./adapter";
export { createBytedanceAdapter, type BytedanceAdapterOptions } from "./bytedance-adapter";
export { attemptOutcomeFromRecord, circuitStatus, countsForHealth, type AttemptOutcome, type CircuitBreakerOptions, type CircuitState, type CircuitStatus } from "./circuit-breaker";
export { createFalAdapter, falAppId, type FalAdapterOptions, type FalEndpoints } from "./fal-adapter";
export { createGoogleAdapter, type GoogleAdapterOptions } from "./google-adapter";
export { createKieAdapter, type KieAdapterOptions } from "./kie-adapter";
export { createKlingAdapter, createKlingJwt, type KlingAdapterOptions, type KlingAuth } from "./kling-adapter";
export { parseRetryAfter, type FetchLike, type HttpClientOptions } from "./provider-http";
export {
  createProviderRegistry,
  DEFAULT_RELATIVE_COSTS,
  explainRoutes,
  type ProviderHealth,
  type ProviderRegistry,
  type ProviderRegistryConfig,
  type RemoteProviderId,
  type Route,
} from "./provider-registry";
export { createReplicateAdapter, type ReplicateAdapterOptions } from "./replicate-adapter";
export { handleProviderWebhook, webhookDeliveryKey, type WebhookIntakeDependencies, type WebhookIntakeResult } from "./webhook-intake";
export { providerWebhookUrl } from "./webhook-url";
export { providerRegistryConfigFromEnv, type ProviderEnvValues } from "./registry-config-from-env";
export { circuitStatusByProvider } from "./circuit-breaker";
export { providerErrorDetails, providerErrorFromDetails, providerErrorPolicies, type ProviderErrorDetails, type ProviderErrorPolicy } from "./provider-error-policy";
