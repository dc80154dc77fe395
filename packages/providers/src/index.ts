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
export { createBytedanceAdapter, type BytedanceAdapterOptions } from "./bytedance/bytedance-adapter";
export {
  attemptOutcomeFromRecord,
  circuitStatus,
  countsForHealth,
  type AttemptOutcome,
  type CircuitBreakerOptions,
  type CircuitState,
  type CircuitStatus,
} from "./circuit-breaker";
export { createFalAdapter, falAppId, type FalAdapterOptions, type FalEndpoints } from "./fal/fal-adapter";
export { createGoogleAdapter, type GoogleAdapterOptions } from "./google/google-adapter";
export { createKieAdapter, type KieAdapterOptions } from "./kie/kie-adapter";
export { createKlingAdapter, createKlingJwt, type KlingAdapterOptions, type KlingAuth } from "./kling/kling-adapter";
export { parseRetryAfter, type FetchLike, type HttpClientOptions } from "./provider-http";
export {
  createProviderRegistry,
  explainRoutes,
  type ProviderHealth,
  type ProviderRegistry,
  type ProviderRegistryConfig,
  type RemoteProviderId,
  type Route,
} from "./provider-registry";
export { createReplicateAdapter, type ReplicateAdapterOptions } from "./replicate/replicate-adapter";
export {
  handleProviderWebhook,
  webhookDeliveryKey,
  type WebhookIntakeDependencies,
  type WebhookIntakeResult,
} from "./webhook-intake";
export { providerWebhookUrl } from "./webhook-url";
export { providerConfigEnv, providerRegistryConfigFromEnv, type ProviderEnvValues } from "./registry-config-from-env";
export { DEFAULT_RELATIVE_COSTS, providerLimits, providerRegistrations } from "./provider-registrations";
export {
  defineProvider,
  type ProviderLimits,
  type ProviderRegistration,
  type SharedAdapterSettings,
} from "./registration";
export { circuitStatusByProvider } from "./circuit-breaker";
export {
  providerErrorDetails,
  providerErrorFromDetails,
  providerErrorPolicies,
  type ProviderErrorDetails,
  type ProviderErrorPolicy,
} from "./provider-error-policy";
