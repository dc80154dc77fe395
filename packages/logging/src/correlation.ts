import { createHmac, randomUUID } from "node:crypto";

/** The header a request id travels in, both ways. */
export const REQUEST_ID_HEADER = "x-request-id";

// An id from a proxy or a client is kept only when it is short and plain: it is echoed in a
// header and written to logs, so it must not carry newlines, quotes or a whole payload.
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The incoming X-Request-Id when it is valid, else a fresh one. */
export function acceptRequestId(incoming: string | null | undefined): string {
  return incoming && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Logs name a user by a keyed hash of their id: lines of one user can be followed, but a log
 * alone (without the key) does not say who it was, and never carries the email.
 */
export function createUserHasher(key: string): (userId: string) => string {
  if (key.length < 16) throw new Error("the log user hash key must be at least 16 characters");
  return (userId) => createHmac("sha256", key).update(userId).digest("hex").slice(0, 16);
}

/**
 * A user-hash key derived from a secret the process already has (the blob URL secret), for
 * deployments that do not set LOG_USER_HASH_KEY: stable across restarts and processes, and not
 * the secret itself (a log reader learns nothing that signs URLs).
 */
export function deriveUserHashKey(secret: string): string {
  return createHmac("sha256", secret).update("animateimg log user hash v1").digest("hex");
}
