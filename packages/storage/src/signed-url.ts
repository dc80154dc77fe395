import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Short-lived capability tokens for reading one blob. A token names the blob key, who may use
 * it (a user id, or "public" for gallery use) and when it expires; an HMAC-SHA256 over all
 * three makes every field tamper-evident. The blob route still checks the subject against the
 * signed-in user and that the blob still belongs to a live asset, so a leaked token is useless
 * to anyone else and stops working once the asset is deleted.
 */
export interface BlobGrant {
  key: string;
  /** A user id, or "public" for blobs shown in the public gallery. */
  subject: string;
  /** Unix seconds. */
  expiresAt: number;
  /** Suggested download name (sent as Content-Disposition). */
  filename?: string;
}

export type BlobTokenVerification =
  { ok: true; grant: BlobGrant } | { ok: false; reason: "malformed" | "bad_signature" | "expired" };

export interface BlobUrlSigner {
  sign(
    grant: Omit<BlobGrant, "expiresAt">,
    options?: { ttlSeconds?: number; now?: Date },
  ): { token: string; expiresAt: Date };
  verify(token: string, options?: { now?: Date }): BlobTokenVerification;
}

export const PUBLIC_SUBJECT = "public";
/**
 * For a video provider fetching a generation's input: no session, so the token itself is the
 * permission — short-lived, for one blob, and only while that blob belongs to a live asset.
 */
export const PROVIDER_SUBJECT = "provider";

/** `secret` must be at least 32 bytes; `defaultTtlSeconds` is 15 minutes unless given. */
export function createBlobUrlSigner({
  secret,
  defaultTtlSeconds = 900,
}: {
  secret: Buffer;
  defaultTtlSeconds?: number;
}): BlobUrlSigner {
  if (secret.length < 32) throw new Error("The blob URL signing secret must be at least 32 bytes.");
  const mac = (payload: string) =>
    createHmac("sha256", secret).update("animateimg-blob-url.v1.").update(payload).digest();

  return {
    sign(grant, { ttlSeconds = defaultTtlSeconds, now = new Date() } = {}) {
      const expiresAt = Math.floor(now.getTime() / 1000) + ttlSeconds;
      const body: Record<string, string | number> = { k: grant.key, s: grant.subject, e: expiresAt };
      if (grant.filename) body.f = grant.filename;
      const payload = Buffer.from(JSON.stringify(body)).toString("base64url");
      return { token: `${payload}.${mac(payload).toString("base64url")}`, expiresAt: new Date(expiresAt * 1000) };
    },
    verify(token, { now = new Date() } = {}) {
      const parts = token.split(".");
      if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: "malformed" };
      const [payload, signature] = parts as [string, string];
      // Compared as canonical text, not decoded bytes: base64url's last character carries spare
      // bits, so decoding would accept several spellings of one signature (a malleable token).
      const given = Buffer.from(signature);
      const expected = Buffer.from(mac(payload).toString("base64url"));
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return { ok: false, reason: "bad_signature" };
      let body: unknown;
      try {
        body = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
      } catch {
        return { ok: false, reason: "malformed" };
      }
      if (!isGrantBody(body)) return { ok: false, reason: "malformed" };
      if (body.e * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
      const grant: BlobGrant = { key: body.k, subject: body.s, expiresAt: body.e };
      if (body.f !== undefined) grant.filename = body.f;
      return { ok: true, grant };
    },
  };
}

function isGrantBody(value: unknown): value is { k: string; s: string; e: number; f?: string } {
  if (typeof value !== "object" || value === null) return false;
  const body = value as Record<string, unknown>;
  return (
    typeof body.k === "string" &&
    typeof body.s === "string" &&
    typeof body.e === "number" &&
    Number.isSafeInteger(body.e) &&
    (body.f === undefined || typeof body.f === "string")
  );
}
