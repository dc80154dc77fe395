import { NextResponse, type NextRequest } from "next/server";
import { env } from "~/env";
import { securityHeaders } from "~/server/security-headers";

/**
 * Runs before every request (Next 16's proxy, formerly middleware): a fresh nonce per request,
 * the policy on the request (Next.js reads the nonce from it for its own scripts) and every
 * security header on the response.
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const headers = securityHeaders({
    nonce,
    development: env.NODE_ENV === "development",
    https: new URL(env.APP_URL).protocol === "https:",
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]!);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Static build output needs no nonce. Uploads stay out: a proxy makes Next buffer the
  // request body, capped at 10 MB, and uploads are up to 100 MB (their answers are JSON).
  // Everything else — pages, the API, blobs (nosniff matters there) — gets the headers.
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|api/uploads).*)" }],
};
