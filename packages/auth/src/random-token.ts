import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";

/**
 * 120 random bits as 24 base32 characters (Lucia's sessions guide): enough that guessing
 * is hopeless and collisions never happen. Uses the platform's CSPRNG.
 */
export function generateSecureRandomString(): string {
  const bytes = new Uint8Array(15);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function sha256Bytes(value: string): Uint8Array {
  return sha256(new TextEncoder().encode(value));
}

export function sha256Hex(value: string): string {
  return encodeHexLowerCase(sha256Bytes(value));
}
