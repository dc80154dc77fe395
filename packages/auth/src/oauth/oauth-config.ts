import type { OAuthProviderName } from "@animateimg/db";

export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
}

/**
 * Endpoints are configurable so tests and offline demos can point them at a local fake
 * that speaks the same protocol; the defaults are the providers' real endpoints.
 */
export interface GitHubOAuthConfig extends OAuthClientConfig {
  /** https://github.com — serves /login/oauth/authorize and /login/oauth/access_token. */
  webBaseUrl: string;
  /** https://api.github.com — serves /user and /user/emails. */
  apiBaseUrl: string;
}

export interface GoogleOAuthConfig extends OAuthClientConfig {
  /** https://accounts.google.com/o/oauth2/v2/auth */
  authorizeUrl: string;
  /** https://oauth2.googleapis.com/token */
  tokenUrl: string;
}

export interface OAuthConfig {
  /** The app's public base URL; callbacks are `${appUrl}/api/auth/<provider>/callback`. */
  appUrl: string;
  github?: GitHubOAuthConfig | undefined;
  google?: GoogleOAuthConfig | undefined;
}

export const GITHUB_DEFAULTS = { webBaseUrl: "https://github.com", apiBaseUrl: "https://api.github.com" } as const;
export const GOOGLE_DEFAULTS = {
  authorizeUrl: "https://accounts.google.com/o/oauth2/v2/auth",
  tokenUrl: "https://oauth2.googleapis.com/token",
} as const;

export const OAUTH_PROVIDERS: readonly OAuthProviderName[] = ["github", "google"];

export const PROVIDER_LABELS: Record<OAuthProviderName, string> = { github: "GitHub", google: "Google" };

export function isOAuthProvider(value: string): value is OAuthProviderName {
  return (OAUTH_PROVIDERS as readonly string[]).includes(value);
}

export function enabledOAuthProviders(config: OAuthConfig): OAuthProviderName[] {
  return OAUTH_PROVIDERS.filter((provider) => config[provider] !== undefined);
}

export function oauthCallbackUrl(config: OAuthConfig, provider: OAuthProviderName): string {
  return new URL(`/api/auth/${provider}/callback`, config.appUrl).toString();
}
