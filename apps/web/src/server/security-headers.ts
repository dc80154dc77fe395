/**
 * Security headers for every response, and the Content-Security-Policy of pages: scripts only
 * from this origin carrying this request's nonce (Next.js adds it to its own scripts when it
 * finds the policy on the request), no plugins, no framing by other sites, forms and <base>
 * to this origin only. Inline style attributes stay allowed: React's `style={…}` needs them and
 * styles cannot run code.
 */
export interface SecurityHeaderOptions {
  nonce: string;
  /** Development: React's dev tools need eval, and hot reload a WebSocket. */
  development: boolean;
  /** The public URL is HTTPS: browsers are told to keep using it (HSTS). */
  https: boolean;
}

export function contentSecurityPolicy({ nonce, development }: SecurityHeaderOptions): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "font-src 'self'",
    `connect-src 'self'${development ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(development ? [] : ["upgrade-insecure-requests"]),
  ].join("; ");
}

export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(options),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    // Signed blob URLs carry their token in the path: never send it to another site.
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    ...(options.https ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}
