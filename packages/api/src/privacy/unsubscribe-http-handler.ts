import { isAppError } from "@animateimg/core";
import type { Db } from "@animateimg/db";
import { unsubscribeWithToken } from "@animateimg/privacy";
import type { PrivacyDependencies } from "./privacy-dependencies";

/**
 * `/api/unsubscribe/<token>`, the URL in every marketing email's List-Unsubscribe header.
 *
 * - POST is the one-click unsubscribe of RFC 8058: mail providers send it from their servers
 *   with the body `List-Unsubscribe=One-Click`, no cookies and no Origin, so it needs no
 *   session and no Origin check (the signed token is the authority). Idempotent: every POST
 *   with a valid token answers 200. The confirmation page's button posts here too
 *   (`source=page`) and is sent back to the page.
 * - GET never unsubscribes (link scanners and prefetchers follow links): it redirects to the
 *   confirmation page, which asks.
 */
export async function handleUnsubscribe(
  request: Request,
  token: string,
  deps: { db: Db; privacy: Pick<PrivacyDependencies, "unsubscribeTokens"> },
): Promise<Response> {
  const page = new URL(`/unsubscribe/${encodeURIComponent(token)}`, request.url);
  if (request.method === "GET" || request.method === "HEAD") return redirect(page);
  if (request.method !== "POST")
    return new Response("Method not allowed", { status: 405, headers: { Allow: "GET, POST" } });

  const form = await readForm(request);
  const fromPage = form?.get("source") === "page";
  try {
    await unsubscribeWithToken(deps.db, { tokens: deps.privacy.unsubscribeTokens, token });
  } catch (error) {
    if (!isAppError(error)) throw error;
    if (fromPage) return redirect(page);
    return text(404, error.message);
  }
  if (fromPage) {
    page.searchParams.set("done", "1");
    return redirect(page);
  }
  return text(200, "You are unsubscribed from AnimateImg marketing email.");
}

/**
 * Only the page's own form (urlencoded) is read. Mail providers' one-click POSTs (RFC 8058:
 * multipart/form-data or urlencoded, `List-Unsubscribe=One-Click`) need nothing from the body:
 * the token in the URL decides.
 */
async function readForm(request: Request): Promise<URLSearchParams | null> {
  if (!(request.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded")) return null;
  const body = await request.text().catch(() => "");
  return new URLSearchParams(body.slice(0, 4096));
}

function redirect(to: URL): Response {
  // 303: the browser follows with a GET whatever the method was.
  return new Response(null, {
    status: 303,
    headers: { Location: `${to.pathname}${to.search}`, "Cache-Control": "no-store" },
  });
}

function text(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
