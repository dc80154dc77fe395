// Signature checks for the providers that sign their callbacks. Each follows its provider's
// documented scheme byte for byte; comparisons are constant-time; timestamps older than the
// tolerance are refused so a captured delivery cannot be replayed later.
import {
  createHash,
  createHmac,
  createPublicKey,
  timingSafeEqual,
  verify,
  type JsonWebKey,
  type KeyObject,
} from "node:crypto";
import { ProviderError } from "./adapter";
import { isRecord, type FetchLike } from "./provider-http";

export const WEBHOOK_TOLERANCE_MS = 5 * 60 * 1000;

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function checkTimestamp(provider: string, timestampSeconds: string | null, nowMs: number): number {
  const seconds = Number(timestampSeconds);
  if (!timestampSeconds || !Number.isFinite(seconds))
    throw new ProviderError("auth", `${provider}: webhook timestamp missing`);
  if (Math.abs(nowMs - seconds * 1000) > WEBHOOK_TOLERANCE_MS)
    throw new ProviderError("auth", `${provider}: webhook timestamp outside tolerance`);
  return seconds;
}

/** Standard Webhooks (Replicate): HMAC-SHA256 over `{id}.{timestamp}.{body}`, key = base64 part of `whsec_…`. */
export function verifyStandardWebhook(
  provider: string,
  secret: string,
  headers: Headers,
  rawBody: string,
  nowMs: number,
): { id: string } {
  const id = headers.get("webhook-id");
  const timestamp = headers.get("webhook-timestamp");
  const signatures = headers.get("webhook-signature");
  if (!id || !signatures) throw new ProviderError("auth", `${provider}: webhook signature headers missing`);
  checkTimestamp(provider, timestamp, nowMs);
  const key = Buffer.from(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret, "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${rawBody}`).digest();
  const ok = signatures.split(" ").some((entry) => {
    const [version, value] = entry.split(",", 2);
    return version === "v1" && value !== undefined && safeEqual(Buffer.from(value, "base64"), expected);
  });
  if (!ok) throw new ProviderError("auth", `${provider}: webhook signature does not match`);
  return { id };
}

/** Kie: base64(HMAC-SHA256(taskId + "." + timestamp, key)). The body itself is not covered. */
export function verifyKieSignature(key: string, taskId: string, headers: Headers, nowMs: number): void {
  const timestamp = headers.get("x-webhook-timestamp");
  const signature = headers.get("x-webhook-signature");
  if (!signature) throw new ProviderError("auth", "kie: webhook signature missing");
  checkTimestamp("kie", timestamp, nowMs);
  const expected = createHmac("sha256", key).update(`${taskId}.${timestamp}`).digest();
  if (!safeEqual(Buffer.from(signature, "base64"), expected))
    throw new ProviderError("auth", "kie: webhook signature does not match");
}

/** fal's public keys, fetched from its JWKS URL and cached; refetched once when no key verifies (rotation). */
export class FalJwksCache {
  private keys: KeyObject[] | undefined;
  private fetchedAt = 0;

  constructor(
    private readonly url: string,
    private readonly fetchImpl: FetchLike,
    private readonly maxAgeMs: number,
    private readonly now: () => number,
  ) {}

  async get(forceRefresh: boolean): Promise<KeyObject[]> {
    const age = this.now() - this.fetchedAt;
    // A forced refresh at most once a minute: forged deliveries must not turn into JWKS fetches.
    if (this.keys && (forceRefresh ? age < 60_000 : age < this.maxAgeMs)) return this.keys;
    let body: unknown;
    try {
      const response = await this.fetchImpl(this.url, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = await response.json();
    } catch (error) {
      // Keys we cannot fetch make the delivery unverifiable now; fal retries failed deliveries.
      throw new ProviderError("transient", "fal: could not fetch webhook public keys", { cause: error });
    }
    const list = isRecord(body) && Array.isArray(body.keys) ? body.keys : [];
    this.keys = list
      .filter((k): k is JsonWebKey => isRecord(k) && k.kty === "OKP" && k.crv === "Ed25519" && typeof k.x === "string")
      .map((jwk) => createPublicKey({ key: jwk, format: "jwk" }));
    this.fetchedAt = this.now();
    return this.keys;
  }
}

/** fal: ED25519 (hex) over `request_id \n user_id \n timestamp \n sha256hex(body)`. */
export async function verifyFalSignature(
  jwks: FalJwksCache,
  headers: Headers,
  rawBody: string,
  nowMs: number,
): Promise<void> {
  const requestId = headers.get("x-fal-webhook-request-id");
  const userId = headers.get("x-fal-webhook-user-id");
  const timestamp = headers.get("x-fal-webhook-timestamp");
  const signatureHex = headers.get("x-fal-webhook-signature");
  if (!requestId || !userId || !signatureHex) throw new ProviderError("auth", "fal: webhook signature headers missing");
  checkTimestamp("fal", timestamp, nowMs);
  const message = Buffer.from(
    [requestId, userId, timestamp, createHash("sha256").update(rawBody).digest("hex")].join("\n"),
  );
  const signature = Buffer.from(signatureHex, "hex");
  const verifies = (keys: KeyObject[]) => keys.some((key) => verify(null, message, key, signature));
  if (verifies(await jwks.get(false))) return;
  if (verifies(await jwks.get(true))) return;
  throw new ProviderError("auth", "fal: webhook signature does not match");
}
