export {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookEndpoints,
  updateWebhookEndpoint,
  MAX_WEBHOOK_ENDPOINTS,
  WEBHOOK_DESCRIPTION_MAX_LENGTH,
  WEBHOOK_URL_MAX_LENGTH,
  type UrlCheckOptions,
  type WebhookEndpointView,
} from "./endpoints";
export {
  eventTypeForStatus,
  generationEventId,
  generationEventPayload,
  WEBHOOK_EVENT_TYPES,
  type GenerationEventFacts,
} from "./events";
export { generateWebhookSecret, signWebhook, SECRET_PREFIX, type SignedHeaders } from "./signing";
export {
  checkEndpointUrl,
  guardedLookup,
  isAllowedAddress,
  productionUrlPolicy,
  RefusedAddressError,
  urlRefusalMessage,
  type EndpointUrlPolicy,
  type ResolveHost,
  type UrlRefusal,
} from "./url-policy";
export {
  attemptDelivery,
  DEFAULT_DISABLE_AFTER_DAYS,
  finishDelivery,
  noteNextAttempt,
  type AttemptOutcome,
  type AttemptSettings,
} from "./attempt";
export {
  createManualResend,
  listDeliveries,
  loadDeliveryForAttempt,
  recordGenerationEvent,
  eraseGenerationWebhookEvents,
  type DeliveryAttemptView,
  type DeliveryView,
  type PlannedDelivery,
} from "./deliveries";
export { sendWebhook, WEBHOOK_TIMEOUT_MS, type SendResult, type WebhookErrorClass } from "./send";
