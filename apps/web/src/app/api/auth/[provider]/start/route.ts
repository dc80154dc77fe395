import { NextResponse, type NextRequest } from "next/server";
import {
  isOAuthProvider,
  OAUTH_COOKIE_MAX_AGE_SECONDS,
  OAUTH_COOKIE_NAME,
  serializeShortLivedCookie,
  startOAuthFlow,
} from "@animateimg/auth";
import { isAppError } from "@animateimg/core";
import { getDependencies } from "~/server/deps";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/auth/github/start?intent=sign-in|link&ageConfirmed=1&returnTo=/settings
 * Redirects to the provider with a fresh state and PKCE verifier bound to a 10-minute
 * HttpOnly cookie scoped to /api/auth.
 */
export function GET(request: NextRequest, context: { params: Promise<{ provider: string }> }) {
  return context.params.then(({ provider }) => {
    const deps = getDependencies().accounts!;
    const back = (error: string) => NextResponse.redirect(new URL(`/sign-in?error=${encodeURIComponent(error)}`, deps.appUrl));
    if (!isOAuthProvider(provider)) return back("Unknown sign-in provider.");
    const search = request.nextUrl.searchParams;
    try {
      const { url, cookieValue } = startOAuthFlow({
        config: deps.oauth,
        provider,
        intent: search.get("intent") === "link" ? "link" : "sign-in",
        ageConfirmed: search.get("ageConfirmed") === "1",
        returnTo: search.get("returnTo") ?? undefined,
      });
      const response = NextResponse.redirect(url);
      response.headers.append(
        "Set-Cookie",
        serializeShortLivedCookie(OAUTH_COOKIE_NAME, cookieValue, {
          secure: deps.secureCookies,
          maxAgeSeconds: OAUTH_COOKIE_MAX_AGE_SECONDS,
          path: "/api/auth",
        }),
      );
      return response;
    } catch (error) {
      if (isAppError(error)) return back(error.message);
      throw error;
    }
  });
}
