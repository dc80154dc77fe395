import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/**
 * One-click unsubscribe links must work without signing in and for as long as the email sits
 * in an inbox, so the token is stateless: the account id and an HMAC-SHA256 over it, bound to
 * the purpose ("marketing") so it can never be replayed as anything else. Nothing in it
 * expires: an old newsletter's link still unsubscribes.
 *
 * Format: `u1.<account id as 16 bytes, base64url>.<HMAC, base64url>`. Decoding re-encodes and
 * compares text, so there is exactly one spelling of a valid token.
 */
const PREFIX = "u1";
const PURPOSE = "animateimg unsubscribe v1 marketing";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface UnsubscribeTokens {
  create(userId: string): string;
  /** The account id the token was made for, or null when it is not one of ours. */
  verify(token: string): string | null;
}

export function createUnsubscribeTokens(options: { secret: string }): UnsubscribeTokens {
  if (options.secret.length < 32) throw new Error("the unsubscribe secret needs at least 32 characters");
  const key = Buffer.from(options.secret, "utf8");
  const mac = (id: Buffer) => createHmac("sha256", key).update(PURPOSE).update(id).digest();
  const create = (userId: string) => {
    const normalized = userId.toLowerCase();
    if (!UUID.test(normalized)) throw new Error("unsubscribe tokens are made for account ids (UUIDs)");
    const id = Buffer.from(normalized.replaceAll("-", ""), "hex");
    return `${PREFIX}.${id.toString("base64url")}.${mac(id).toString("base64url")}`;
  };
  return {
    create,
    verify: (token) => {
      const parts = token.split(".");
      if (parts.length !== 3 || parts[0] !== PREFIX) return null;
      const id = Buffer.from(parts[1]!, "base64url");
      const given = Buffer.from(parts[2]!, "base64url");
      if (id.length !== 16 || given.length !== 32) return null;
      const expected = mac(id);
      if (!timingSafeEqual(given, expected)) return null;
      const hex = id.toString("hex");
      const userId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      // One spelling only: base64url decoding forgives padding and stray bits.
      return create(userId) === token ? userId : null;
    },
  };
}

/**
 * A dedicated secret is best (UNSUBSCRIBE_SECRET); without one, a key is derived from another
 * server secret with HKDF under its own label, so the two never share key material directly.
 */
export function deriveUnsubscribeSecret(serverSecret: string): string {
  return Buffer.from(hkdfSync("sha256", serverSecret, "animateimg", "unsubscribe-token-key v1", 32)).toString(
    "base64url",
  );
}
