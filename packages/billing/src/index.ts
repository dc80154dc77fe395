export {
  adjustCredits,
  captureCredits,
  getBalance,
  grantCredits,
  listLedger,
  releaseCredits,
  reserveCredits,
  type GrantCreditsOptions,
  type Settlement,
} from "./ledger";
export { grantSignupCredits } from "./signup-grant";
