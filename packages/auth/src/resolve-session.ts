import type { DbOrTrx, RequestInfo } from "./account-context";
import { readSessionToken } from "./session-cookie";
import { validateSessionToken, type ValidatedSession } from "./sessions";

/** The signed-in session a request's cookie carries, or null (no cookie, revoked, expired). */
export async function resolveSessionFromHeaders(
  db: DbOrTrx,
  headers: Headers,
  options: { now?: Date } = {},
): Promise<ValidatedSession | null> {
  const token = readSessionToken(headers);
  if (!token) return null;
  return validateSessionToken(db, { token, now: options.now });
}

/**
 * The client's address as the first proxy saw it. Only trust this behind a proxy that
 * overwrites X-Forwarded-For (every production setup has one); without a proxy there is
 * no header and the address is unknown, which per-account limits still cover.
 */
export function requestInfoFromHeaders(headers: Headers): RequestInfo {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const ip = forwarded || headers.get("x-real-ip")?.trim() || null;
  return { ip: ip ? ip.slice(0, 64) : null, userAgent: headers.get("user-agent")?.slice(0, 512) ?? null };
}
