import { NextResponse, type NextRequest } from "next/server";
import {
  completeOAuthFlow,
  invalidateSession,
  isOAuthProvider,
  OAUTH_COOKIE_NAME,
  readCookie,
  requestInfoFromHeaders,
  serializeSessionCookie,
  serializeShortLivedCookie,
  signInWithOAuth,
} from "@animateimg/auth";
import { isAppError } from "@animateimg/core";
import { getDependencies } from "~/server/deps";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The provider sends the browser back here with code + state (or error). */
export async function GET(request: NextRequest, context: { params: Promise<{ provider: string }> }) {
  const { provider } = await context.params;
  const deps = getDependencies();
  const accounts = deps.accounts!;
  const clearFlowCookie = serializeShortLivedCookie(OAUTH_COOKIE_NAME, "", {
    secure: accounts.secureCookies,
    maxAgeSeconds: 0,
    path: "/api/auth",
  });
  const redirect = (path: string) => {
    const response = NextResponse.redirect(new URL(path, accounts.appUrl));
    response.headers.append("Set-Cookie", clearFlowCookie);
    return response;
  };
  if (!isOAuthProvider(provider)) return redirect("/sign-in?error=Unknown%20sign-in%20provider.");

  const session = await deps.resolveSession(request.headers);
  let intent: "sign-in" | "link" = "sign-in";
  try {
    const { profile, flow } = await completeOAuthFlow({
      config: accounts.oauth,
      provider,
      params: request.nextUrl.searchParams,
      cookieValue: readCookie(request.headers.get("cookie"), OAUTH_COOKIE_NAME),
    });
    intent = flow.intent;
    const outcome = await signInWithOAuth(deps.db, {
      mailer: accounts.mailer,
      appUrl: accounts.appUrl,
      profile,
      flow,
      currentUserId: session?.user.id ?? null,
      request: requestInfoFromHeaders(request.headers),
    });
    if (!outcome.session) return redirect(`/settings?section=providers&linked=${provider}`);
    // A new token at every sign-in; the browser's previous session ends.
    if (session) await invalidateSession(deps.db, { sessionId: session.id });
    const response = redirect(flow.returnTo);
    response.headers.append(
      "Set-Cookie",
      serializeSessionCookie(outcome.session.token, outcome.session.absoluteExpiresAt, { secure: accounts.secureCookies }),
    );
    return response;
  } catch (error) {
    if (!isAppError(error)) throw error;
    const page = intent === "link" ? "/settings?section=providers&error=" : error.reason === "age_not_confirmed" ? "/sign-up?error=" : "/sign-in?error=";
    return redirect(`${page}${encodeURIComponent(error.message)}`);
  }
}
