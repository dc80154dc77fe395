export { appLink, type AccountMail, type RequestInfo } from "./account-context";
export { requestEmailVerification, verifyEmailToken } from "./accounts/email-verification";
export { findUserIdByEmail } from "./accounts/find-user";
export {
  changePassword,
  getAccount,
  listAccountSessions,
  requestEmailChange,
  revokeAccountSession,
  setEmailLocale,
  updateProfile,
  type AccountOverview,
  type SessionListItem,
} from "./accounts/manage-account";
export { requestPasswordReset, resetPassword } from "./accounts/password-reset";
export { invalidCredentials, signInWithPassword, type SignInOptions } from "./accounts/sign-in";
export { NAME_MAX_LENGTH, signUp, type SignUpOptions } from "./accounts/sign-up";
export { describeIpLocation, describeUserAgent, type DeviceDescription } from "./describe-user-agent";
export { deleteExpiredEmailTokens, EMAIL_TOKEN_LIFETIME_MS } from "./email-tokens";
export { ensureAdminUser, ensureDemoUser, type DemoUserOptions } from "./ensure-demo-user";
export {
  enabledOAuthProviders,
  GITHUB_DEFAULTS,
  GOOGLE_DEFAULTS,
  isOAuthProvider,
  OAUTH_PROVIDERS,
  oauthCallbackUrl,
  PROVIDER_LABELS,
  type GitHubOAuthConfig,
  type GoogleOAuthConfig,
  type OAuthConfig,
} from "./oauth/oauth-config";
export {
  completeOAuthFlow,
  OAUTH_COOKIE_MAX_AGE_SECONDS,
  OAUTH_COOKIE_NAME,
  startOAuthFlow,
  type OAuthFlowState,
  type OAuthIntent,
  type OAuthProfile,
} from "./oauth/oauth-flow";
export { signInWithOAuth, unlinkOAuthProvider, type OAuthOutcome } from "./oauth/sign-in-with-oauth";
export { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyPassword } from "./password";
export { assertPasswordAllowed, findPasswordProblem } from "./password-policy";
export { accountRateLimits } from "./rate-limit-rules";
export { forbiddenOriginResponse, isAllowedOrigin } from "./request-origin";
export {
  clientAddressFromHeaders,
  PEER_ADDRESS_HEADER,
  requestInfoFromHeaders,
  resolveSessionFromHeaders,
  type ClientAddressOptions,
} from "./resolve-session";
export {
  readCookie,
  readSessionToken,
  serializeBlankSessionCookie,
  serializeSessionCookie,
  serializeShortLivedCookie,
  SESSION_COOKIE_NAME,
  type CookieOptions,
} from "./session-cookie";
export {
  createSession,
  deleteExpiredSessions,
  invalidateSession,
  invalidateUserSessions,
  SESSION_ABSOLUTE_LIFETIME_MS,
  SESSION_IDLE_TIMEOUT_MS,
  SESSION_REFRESH_INTERVAL_MS,
  validateSessionToken,
  type CreatedSession,
  type SessionUserRecord,
  type ValidatedSession,
} from "./sessions";
export {
  API_KEY_NAME_MAX_LENGTH,
  API_KEY_SCOPES,
  authenticateApiKey,
  createApiKey,
  DEFAULT_API_KEY_REQUESTS_PER_MINUTE,
  listApiKeys,
  MAX_ACTIVE_API_KEYS,
  revokeApiKey,
  type ApiKeyView,
  type AuthenticatedApiKey,
} from "./api-keys";
