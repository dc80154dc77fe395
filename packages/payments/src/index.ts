export { defaultOffers, findOffer, parseOffers, type CreditPack, type Offer, type Offers, type Plan } from "./offers";
export {
  WebhookVerificationError,
  type CheckoutRequest,
  type PaymentFacts,
  type PaymentProcessor,
  type PaymentProcessorId,
  type VerifiedPaymentEvent,
} from "./processor";
export { createStripeProcessor, type StripeProcessorOptions } from "./stripe-processor";
export {
  createCreemProcessor,
  creemDefaultWebhookToleranceSeconds,
  creemProductsForOffers,
  type CreemProcessorOptions,
} from "./creem-processor";
export {
  createPaymentProcessor,
  paymentsFromEnv,
  stripeEndpointFromUrl,
  type PaymentsConfig,
  type PaymentsEnv,
} from "./payments-config";
export { ensurePaymentCustomer, findCustomerId, findUserIdByCustomer } from "./payment-customers";
export {
  applyPaymentEvent,
  getPaymentEvent,
  listPaymentEventsNeedingAttention,
  recordPaymentEvent,
  type PaymentEventOutcome,
} from "./payment-events";
export {
  cancelSubscriptionsForUser,
  hasLiveSubscriptions,
  getBillingSummary,
  openBillingPortal,
  receiptUrlForLedgerEntry,
  startCheckout,
  type BillingSummary,
} from "./billing-account";
