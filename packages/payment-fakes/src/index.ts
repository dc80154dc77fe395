export {
  fakePaymentCredentials,
  startPaymentFakes,
  type PaymentFakes,
  type StartPaymentFakesOptions,
} from "./payment-fakes-server";
export { stripeTestCards, type StripeFakeControl } from "./stripe/stripe-fake";
export type { DeliveryRecord, DeliverySwitches } from "./http-helpers";
export { creemTestCards, type CreemFakeControl, type CreemFakeProduct, type CreemPayment } from "./creem/creem-fake";
