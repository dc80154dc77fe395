export {
  fakeProviderIds,
  type FakeJob,
  type FakeProviderId,
  type Fault,
  type FaultKind,
  type JobFaultKind,
  type JobOutcome,
  type Lifecycle,
  type RecordedRequest,
  type RequestFaultKind,
  type WebhookDelivery,
} from "./fake-core";
export {
  defaultFakeCredentials,
  startFakeProviders,
  type FakeCredentials,
  type FakeProviders,
  type FakeProvidersControl,
  type StartFakeProvidersOptions,
} from "./fake-server";
export { ensureFakeVideo, FAKE_PHOTO_PNG, type EnsureFakeVideoOptions } from "./fake-video";
export { createFalSigningKey, falWebhookHeaders, kieWebhookHeaders, standardWebhookHeaders } from "./webhook-signing";
