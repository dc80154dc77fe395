/**
 * Cross-site request forgery defence for cookie-authenticated endpoints. tRPC v11 accepts
 * form-data and octet-stream bodies, which a foreign page can POST without a CORS preflight,
 * so SameSite=Lax is not enough on its own: every state-changing request must carry an
 * `Origin` that is ours. A missing Origin is refused too (browsers always send it on POST).
 */
export function isAllowedOrigin(request: Request, options: { allowedOrigins: readonly string[] }): boolean {
  const method = request.method.toUpperCase();
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return true;
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (options.allowedOrigins.includes(parsed.origin)) return true;
  // The Host header is set by the browser to the server it is talking to, so Origin
  // matching it means the page itself came from this server (Lucia's verifyRequestOrigin).
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  return host !== null && parsed.host === host;
}

export function forbiddenOriginResponse(): Response {
  return new Response(
    JSON.stringify({ error: { message: "This request came from another site and was refused.", code: "FORBIDDEN" } }),
    { status: 403, headers: { "content-type": "application/json" } },
  );
}
