import {
  ArcticFetchError,
  CodeChallengeMethod,
  decodeIdToken,
  generateCodeVerifier,
  generateState,
  OAuth2Client,
  OAuth2RequestError,
  UnexpectedErrorResponseBodyError,
  UnexpectedResponseError,
  type OAuth2Tokens,
} from "arctic";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { AppError } from "@animateimg/core";
import type { OAuthProviderName } from "@animateimg/db";
import { PROVIDER_LABELS, oauthCallbackUrl, type OAuthConfig } from "./oauth-config";

/** The short-lived cookie binding a flow to the browser that started it. */
export const OAUTH_COOKIE_NAME = "animateimg_oauth";
export const OAUTH_COOKIE_MAX_AGE_SECONDS = 10 * 60;

export type OAuthIntent = "sign-in" | "link";

export interface OAuthFlowState {
  provider: OAuthProviderName;
  state: string;
  /** PKCE verifier, sent with the code exchange. */
  codeVerifier: string | null;
  intent: OAuthIntent;
  /** The person confirmed they are 13 or older (needed if this creates an account). */
  ageConfirmed: boolean;
  /** Where to go after the callback; always a local path. */
  returnTo: string;
  issuedAt: number;
}

export interface OAuthProfile {
  provider: OAuthProviderName;
  providerUserId: string;
  email: string | null;
  emailVerified: boolean;
  name: string;
  avatarUrl: string | null;
}

function notConfigured(provider: OAuthProviderName): AppError {
  return new AppError("NOT_FOUND", `Signing in with ${PROVIDER_LABELS[provider]} is not set up on this server.`, {
    reason: "oauth_provider_disabled",
    params: { provider: PROVIDER_LABELS[provider] },
  });
}

function client(config: OAuthConfig, provider: OAuthProviderName): OAuth2Client {
  const settings = config[provider];
  if (!settings) throw notConfigured(provider);
  return new OAuth2Client(settings.clientId, settings.clientSecret, oauthCallbackUrl(config, provider));
}

function safeReturnTo(path: string | undefined): string {
  return path && path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\") ? path : "/";
}

/**
 * Builds the provider's authorization URL and the cookie value that must come back with the
 * callback (state and PKCE verifier). We use Arctic's generic OAuth2Client rather than its GitHub/Google classes
 * because those hard-code the providers' hosts; the generic client sends the same requests
 * (Basic client authentication, PKCE) to endpoints we choose.
 */
export function startOAuthFlow(options: {
  config: OAuthConfig;
  provider: OAuthProviderName;
  intent: OAuthIntent;
  ageConfirmed: boolean;
  returnTo?: string;
  now?: Date;
}): { url: URL; cookieValue: string } {
  const state = generateState();
  const oauth = client(options.config, options.provider);
  // PKCE for both: Google requires it, GitHub accepts it (and ignores nothing it needs).
  const codeVerifier = generateCodeVerifier();
  const authorizeUrl =
    options.provider === "google"
      ? options.config.google!.authorizeUrl
      : `${options.config.github!.webBaseUrl}/login/oauth/authorize`;
  const scopes = options.provider === "google" ? ["openid", "email", "profile"] : ["read:user", "user:email"];
  const url = oauth.createAuthorizationURLWithPKCE(authorizeUrl, state, CodeChallengeMethod.S256, codeVerifier, scopes);
  const flow: OAuthFlowState = {
    provider: options.provider,
    state,
    codeVerifier,
    intent: options.intent,
    ageConfirmed: options.ageConfirmed,
    returnTo: safeReturnTo(options.returnTo),
    issuedAt: (options.now ?? new Date()).getTime(),
  };
  return { url, cookieValue: Buffer.from(JSON.stringify(flow)).toString("base64url") };
}

function stateMismatch(): AppError {
  return new AppError("FORBIDDEN", "This sign-in attempt expired or did not start in this browser. Please try again.", {
    reason: "oauth_state_mismatch",
  });
}

function parseFlowCookie(cookieValue: string | null): OAuthFlowState | null {
  if (!cookieValue) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cookieValue, "base64url").toString("utf8")) as Partial<OAuthFlowState>;
    if (typeof parsed.state !== "string" || typeof parsed.provider !== "string") return null;
    return {
      provider: parsed.provider,
      state: parsed.state,
      codeVerifier: typeof parsed.codeVerifier === "string" ? parsed.codeVerifier : null,
      intent: parsed.intent === "link" ? "link" : "sign-in",
      ageConfirmed: parsed.ageConfirmed === true,
      returnTo: safeReturnTo(parsed.returnTo),
      issuedAt: typeof parsed.issuedAt === "number" ? parsed.issuedAt : 0,
    };
  } catch {
    return null;
  }
}

/**
 * Checks the callback against the cookie (state compared in constant time, provider and age
 * of the flow), then trades the code for tokens and reads the profile.
 */
export async function completeOAuthFlow(options: {
  config: OAuthConfig;
  provider: OAuthProviderName;
  params: URLSearchParams;
  cookieValue: string | null;
  now?: Date;
}): Promise<{ profile: OAuthProfile; flow: OAuthFlowState }> {
  const now = options.now ?? new Date();
  const flow = parseFlowCookie(options.cookieValue);
  const returnedState = options.params.get("state");
  if (
    !flow ||
    flow.provider !== options.provider ||
    !returnedState ||
    now.getTime() - flow.issuedAt > OAUTH_COOKIE_MAX_AGE_SECONDS * 1000 ||
    !constantTimeEqual(new TextEncoder().encode(returnedState), new TextEncoder().encode(flow.state))
  ) {
    throw stateMismatch();
  }
  const providerError = options.params.get("error");
  if (providerError) {
    throw new AppError(
      "BAD_REQUEST",
      providerError === "access_denied"
        ? `You cancelled signing in with ${PROVIDER_LABELS[options.provider]}.`
        : `${PROVIDER_LABELS[options.provider]} refused the sign-in (${providerError}).`,
      { reason: "oauth_denied", params: { provider: PROVIDER_LABELS[options.provider], error: providerError } },
    );
  }
  const code = options.params.get("code");
  if (!code) throw stateMismatch();

  const tokens = await exchangeCode(options.config, options.provider, code, flow.codeVerifier);
  const profile =
    options.provider === "github" ? await fetchGitHubProfile(options.config, tokens) : readGoogleProfile(tokens);
  return { profile, flow };
}

function providerFailure(provider: OAuthProviderName, cause: unknown): AppError {
  return new AppError("UNAUTHORIZED", `${PROVIDER_LABELS[provider]} did not confirm your sign-in. Please try again.`, {
    reason: "oauth_failed",
    params: { provider: PROVIDER_LABELS[provider] },
    cause,
  });
}

async function exchangeCode(
  config: OAuthConfig,
  provider: OAuthProviderName,
  code: string,
  codeVerifier: string | null,
): Promise<OAuth2Tokens> {
  const tokenUrl =
    provider === "github" ? `${config.github!.webBaseUrl}/login/oauth/access_token` : config.google!.tokenUrl;
  let tokens: OAuth2Tokens;
  try {
    tokens = await client(config, provider).validateAuthorizationCode(tokenUrl, code, codeVerifier);
  } catch (error) {
    if (
      error instanceof OAuth2RequestError ||
      error instanceof ArcticFetchError ||
      error instanceof UnexpectedResponseError ||
      error instanceof UnexpectedErrorResponseBodyError
    ) {
      throw providerFailure(provider, error);
    }
    throw error;
  }
  // GitHub answers a bad code with HTTP 200 and an `error` field, which the generic client
  // (written for RFC 6749's 400) returns as tokens.
  if ("error" in tokens.data) throw providerFailure(provider, tokens.data);
  return tokens;
}

interface GitHubUser {
  id: number;
  login: string;
  name: string | null;
  avatar_url: string | null;
}
interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

async function githubGet<T>(config: OAuthConfig, path: string, accessToken: string): Promise<T> {
  const response = await fetch(`${config.github!.apiBaseUrl}${path}`, {
    headers: {
      Authorization: `Bearer ${accessToken}`,
      Accept: "application/vnd.github+json",
      "X-GitHub-Api-Version": "2022-11-28",
      "User-Agent": "AnimateImg",
    },
  });
  if (!response.ok) throw providerFailure("github", new Error(`GitHub ${path} answered ${response.status}`));
  return (await response.json()) as T;
}

async function fetchGitHubProfile(config: OAuthConfig, tokens: OAuth2Tokens): Promise<OAuthProfile> {
  const accessToken = tokens.accessToken();
  const [user, emails] = await Promise.all([
    githubGet<GitHubUser>(config, "/user", accessToken),
    githubGet<GitHubEmail[]>(config, "/user/emails", accessToken),
  ]);
  const primary = emails.find((e) => e.primary) ?? emails.find((e) => e.verified) ?? null;
  return {
    provider: "github",
    providerUserId: String(user.id),
    email: primary?.email ?? null,
    emailVerified: primary?.verified === true,
    name: user.name?.trim() || user.login,
    avatarUrl: user.avatar_url ?? null,
  };
}

function readGoogleProfile(tokens: OAuth2Tokens): OAuthProfile {
  // The ID token comes straight from Google's token endpoint over TLS, so its claims can be
  // read without checking the signature (OpenID Connect Core 3.1.3.7).
  const claims = decodeIdToken(tokens.idToken()) as {
    sub?: string;
    email?: string;
    email_verified?: boolean;
    name?: string;
    picture?: string;
  };
  if (!claims.sub) throw providerFailure("google", new Error("ID token without sub"));
  return {
    provider: "google",
    providerUserId: claims.sub,
    email: claims.email ?? null,
    emailVerified: claims.email_verified === true,
    name: claims.name?.trim() || (claims.email?.split("@")[0] ?? "Google user"),
    avatarUrl: claims.picture ?? null,
  };
}
