import {
  completeOAuthFlow,
  invalidateSession,
  isOAuthProvider,
  OAUTH_COOKIE_MAX_AGE_SECONDS,
  OAUTH_COOKIE_NAME,
  readCookie,
  requestInfoFromHeaders,
  serializeSessionCookie,
  serializeShortLivedCookie,
  signInWithOAuth,
  startOAuthFlow,
} from "@animateimg/auth";
import { resolvePrivacyDependencies } from "../privacy/privacy-dependencies";
import { AppError, isAppError } from "@animateimg/core";
import { resolveAccountDependencies } from "../auth/account-dependencies";
import type { ApiDependencies } from "../trpc";

/** The web app's language cookie (apps/web i18n config): an account made here gets its emails in it. */
const LOCALE_COOKIE_NAME = "animateimg_locale";

function redirect(location: string, cookies: string[] = []): Response {
  const headers = new Headers({ location });
  for (const cookie of cookies) headers.append("Set-Cookie", cookie);
  return new Response(null, { status: 302, headers });
}

/**
 * The query a refused sign-in comes back with: the English sentence (`error`, what older links
 * and API-minded readers see) plus the refusal's reason and its values, which the page words in
 * the reader's language (apps/web `wordRedirectError`).
 */
function refusalQuery(error: {
  message: string;
  reason?: string | null;
  params?: Record<string, string | number> | null;
}): string {
  const query = new URLSearchParams({ error: error.message });
  if (error.reason) query.set("reason", error.reason);
  if (error.params && Object.keys(error.params).length > 0) query.set("params", JSON.stringify(error.params));
  return query.toString().replace(/\+/g, "%20");
}

const unknownProvider = new AppError("NOT_FOUND", "Unknown sign-in provider.", { reason: "oauth_unknown_provider" });

/**
 * GET /api/auth/:provider/start?intent=sign-in|link&ageConfirmed=1&returnTo=/path
 * Redirects to the provider; state and PKCE verifier travel in a 10-minute HttpOnly cookie
 * scoped to /api/auth, so only the browser that started the flow can finish it.
 */
export function handleOAuthStart(request: Request, provider: string, deps: ApiDependencies): Response {
  const accounts = resolveAccountDependencies(deps);
  const back = (refusal: Parameters<typeof refusalQuery>[0]) =>
    redirect(new URL(`/sign-in?${refusalQuery(refusal)}`, accounts.appUrl).toString());
  if (!isOAuthProvider(provider)) return back(unknownProvider);
  const search = new URL(request.url).searchParams;
  try {
    const { url, cookieValue } = startOAuthFlow({
      config: accounts.oauth,
      provider,
      intent: search.get("intent") === "link" ? "link" : "sign-in",
      ageConfirmed: search.get("ageConfirmed") === "1",
      returnTo: search.get("returnTo") ?? undefined,
    });
    return redirect(url.toString(), [
      serializeShortLivedCookie(OAUTH_COOKIE_NAME, cookieValue, {
        secure: accounts.secureCookies,
        maxAgeSeconds: OAUTH_COOKIE_MAX_AGE_SECONDS,
        path: "/api/auth",
      }),
    ]);
  } catch (error) {
    if (isAppError(error)) return back(error);
    throw error;
  }
}

/** GET /api/auth/:provider/callback — the provider sends the browser back with code + state. */
export async function handleOAuthCallback(
  request: Request,
  provider: string,
  deps: ApiDependencies,
): Promise<Response> {
  const accounts = resolveAccountDependencies(deps);
  const clearFlowCookie = serializeShortLivedCookie(OAUTH_COOKIE_NAME, "", {
    secure: accounts.secureCookies,
    maxAgeSeconds: 0,
    path: "/api/auth",
  });
  const to = (path: string, cookies: string[] = []) =>
    redirect(new URL(path, accounts.appUrl).toString(), [clearFlowCookie, ...cookies]);
  if (!isOAuthProvider(provider)) return to(`/sign-in?${refusalQuery(unknownProvider)}`);

  const session = await deps.resolveSession(request.headers);
  let intent: "sign-in" | "link" = "sign-in";
  try {
    const { profile, flow } = await completeOAuthFlow({
      config: accounts.oauth,
      provider,
      params: new URL(request.url).searchParams,
      cookieValue: readCookie(request.headers.get("cookie"), OAUTH_COOKIE_NAME),
    });
    intent = flow.intent;
    const outcome = await signInWithOAuth(deps.db, {
      mailer: accounts.mailer,
      appUrl: accounts.appUrl,
      ...(accounts.welcomeCredits ? { welcomeCredits: accounts.welcomeCredits } : {}),
      profile,
      flow,
      currentUserId: session?.user.id ?? null,
      acceptedPolicyVersion: resolvePrivacyDependencies(deps).policy.version,
      locale: readCookie(request.headers.get("cookie"), LOCALE_COOKIE_NAME) === "es" ? "es" : "en",
      request: requestInfoFromHeaders(request.headers, { trustedProxyHops: accounts.trustedProxyHops ?? 0 }),
    });
    if (!outcome.session) return to(`/settings?section=providers&linked=${provider}`);
    // A new token at every sign-in; the browser's previous session ends.
    if (session) await invalidateSession(deps.db, { sessionId: session.id });
    return to(flow.returnTo, [
      serializeSessionCookie(outcome.session.token, outcome.session.absoluteExpiresAt, {
        secure: accounts.secureCookies,
      }),
    ]);
  } catch (error) {
    if (!isAppError(error)) throw error;
    const page =
      intent === "link"
        ? "/settings?section=providers&"
        : error.reason === "oauth_age_not_confirmed"
          ? "/sign-up?"
          : "/sign-in?";
    return to(`${page}${refusalQuery(error)}`);
  }
}
