export {
  adjustCredits,
  captureCredits,
  findReservedGenerations,
  getBalance,
  grantCredits,
  listLedger,
  releaseCredits,
  reserveCredits,
  type GrantCreditsOptions,
  type Settlement,
} from "./ledger";
export { grantSignupCredits } from "./signup-grant";
export {
  creditsOwedError,
  findPurchase,
  getCreditStanding,
  recordPurchase,
  reinstateDisputedCredits,
  reversePurchase,
  type CreditStanding,
  type PaymentProcessorLabel,
  type RecordPurchaseOptions,
  type ReversePurchaseOptions,
} from "./purchases";
export { createBalanceEvents, type BalanceEvent, type BalanceEvents } from "./balance-events";
export { creditUsage, type CreditUsage, type UsageBucket } from "./usage";
