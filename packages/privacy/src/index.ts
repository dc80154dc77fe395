export {
  acknowledgePolicy,
  assertCurrentVersion,
  getPolicyStatus,
  latestPolicyAcceptance,
  recordPolicyAcceptance,
  type PolicyAcceptance,
  type PolicyStatus,
} from "./acceptance/policy-acceptance";
export { getMarketingPreference, setMarketingOptIn, type MarketingPreference } from "./marketing/marketing-consent";
export {
  listUnsubscribeHeaders,
  sendMarketingEmail,
  unsubscribeUrl,
  type MarketingMailSettings,
} from "./marketing/send-marketing-email";
export {
  describeUnsubscribeLink,
  INVALID_UNSUBSCRIBE_LINK_MESSAGE,
  maskEmail,
  unsubscribeWithToken,
  type UnsubscribeLinkView,
} from "./marketing/unsubscribe";
export {
  createUnsubscribeTokens,
  deriveUnsubscribeSecret,
  type UnsubscribeTokens,
} from "./marketing/unsubscribe-token";
export {
  CONTACT_PLACEHOLDER,
  parsePolicyText,
  policyTextWithContact,
  type PolicyBlock,
} from "./policy/parse-policy-text";
export { currentPrivacyPolicy, definePrivacyPolicy, versionsSince, type PrivacyPolicy } from "./policy/privacy-policy";
export { policyVersions, type PolicyChangeNotes, type PolicyVersion } from "./policy/policy-versions";
