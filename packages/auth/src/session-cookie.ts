/** The cookie that carries `<id>.<secret>`; clearing it signs the browser out. */
export const SESSION_COOKIE_NAME = "animateimg_session";

export interface CookieOptions {
  /** Secure in production (HTTPS); plain http://localhost in development. */
  secure: boolean;
}

function attributes(secure: boolean, path = "/"): string {
  return `Path=${path}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/**
 * The cookie lives until the session's absolute end; the idle (sliding) expiry is enforced
 * by the database on every request, so the cookie never needs rewriting as it slides.
 */
export function serializeSessionCookie(token: string, expiresAt: Date, options: CookieOptions): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  return `${SESSION_COOKIE_NAME}=${token}; ${attributes(options.secure)}; Max-Age=${maxAge}; Expires=${expiresAt.toUTCString()}`;
}

export function serializeBlankSessionCookie(options: CookieOptions): string {
  return `${SESSION_COOKIE_NAME}=; ${attributes(options.secure)}; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`;
}

/** A short-lived HttpOnly cookie, e.g. OAuth state bound to the browser that started the flow. */
export function serializeShortLivedCookie(
  name: string,
  value: string,
  options: CookieOptions & { maxAgeSeconds: number; path?: string },
): string {
  return `${name}=${encodeURIComponent(value)}; ${attributes(options.secure, options.path)}; Max-Age=${options.maxAgeSeconds}`;
}

export function readCookie(cookieHeader: string | null, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const index = part.indexOf("=");
    if (index === -1) continue;
    if (part.slice(0, index).trim() === name) {
      const value = part.slice(index + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return null;
      }
    }
  }
  return null;
}

export function readSessionToken(headers: Headers): string | null {
  const token = readCookie(headers.get("cookie"), SESSION_COOKIE_NAME);
  return token ? token : null;
}
