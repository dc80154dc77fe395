import type { RequestInfo } from "./account-context";
import type { Executor } from "@animateimg/db";
import { readSessionToken } from "./session-cookie";
import { validateSessionToken, type ValidatedSession } from "./sessions";

/** The signed-in session a request's cookie carries, or null (no cookie, revoked, expired). */
export async function resolveSessionFromHeaders(
  db: Executor,
  headers: Headers,
  options: { now?: Date } = {},
): Promise<ValidatedSession | null> {
  const token = readSessionToken(headers);
  if (!token) return null;
  return validateSessionToken(db, { token, now: options.now });
}

/**
 * The header our own HTTP server (apps/web/server.mjs) sets on every request to the TCP
 * peer's address, overwriting whatever a client sent under that name.
 */
export const PEER_ADDRESS_HEADER = "x-animateimg-peer-address";

export interface ClientAddressOptions {
  /**
   * How many reverse proxies in front of the app append to X-Forwarded-For and can be
   * trusted (TRUSTED_PROXY_HOPS). 0: none, the socket's peer is the client and
   * X-Forwarded-For, which any client can write, is ignored.
   */
  trustedProxyHops?: number;
}

const IP = /^[0-9a-f:.]{2,45}$/i;
const cleanAddress = (value: string | null | undefined) => {
  const trimmed = value?.trim().replace(/^::ffff:(?=\d+\.)/i, "");
  return trimmed && IP.test(trimmed) ? trimmed : null;
};

/**
 * The client's address: the socket peer, or with N trusted proxies the address the outermost
 * of them saw, counted from the right of X-Forwarded-For (entries left of it are whatever the
 * client wrote and are never used).
 */
export function clientAddressFromHeaders(headers: Headers, options: ClientAddressOptions = {}): string | null {
  const hops = Math.max(0, Math.floor(options.trustedProxyHops ?? 0));
  const peer = cleanAddress(headers.get(PEER_ADDRESS_HEADER));
  if (hops === 0) return peer;
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  const chain = peer ? [...forwarded, peer] : forwarded;
  const index = chain.length - 1 - hops;
  return cleanAddress(chain[Math.max(0, index)]);
}

export function requestInfoFromHeaders(headers: Headers, options: ClientAddressOptions = {}): RequestInfo {
  return {
    ip: clientAddressFromHeaders(headers, options),
    userAgent: headers.get("user-agent")?.slice(0, 512) ?? null,
  };
}
