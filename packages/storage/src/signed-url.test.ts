import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createBlobUrlSigner } from "./signed-url";

describe("signed blob URLs", () => {
  const signer = createBlobUrlSigner({ secret: randomBytes(32) });
  const now = new Date("2026-11-29T10:00:00Z");

  it("verifies its own token and returns the grant", () => {
    const { token, expiresAt } = signer.sign({ key: "k1", subject: "user-1" }, { ttlSeconds: 60, now });
    expect(expiresAt.getTime()).toBe(now.getTime() + 60_000);
    expect(signer.verify(token, { now })).toEqual({
      ok: true,
      grant: { key: "k1", subject: "user-1", expiresAt: expiresAt.getTime() / 1000 },
    });
  });

  it("refuses an expired token", () => {
    const { token } = signer.sign({ key: "k1", subject: "user-1" }, { ttlSeconds: 60, now });
    expect(signer.verify(token, { now: new Date(now.getTime() + 60_000) })).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses a token whose payload or signature was changed", () => {
    const { token } = signer.sign({ key: "k1", subject: "user-1" }, { now });
    const [payload, signature] = token.split(".") as [string, string];
    const forged = Buffer.from(JSON.stringify({ k: "k1", s: "user-2", e: 9_999_999_999 })).toString("base64url");
    expect(signer.verify(`${forged}.${signature}`, { now })).toEqual({ ok: false, reason: "bad_signature" });
    const flipped = signature.slice(0, -2) + (signature.endsWith("AA") ? "BB" : "AA");
    expect(signer.verify(`${payload}.${flipped}`, { now })).toEqual({ ok: false, reason: "bad_signature" });
    expect(signer.verify("garbage", { now })).toEqual({ ok: false, reason: "malformed" });
  });

  it("refuses another spelling of a valid signature (the spare bits of base64url's last character)", () => {
    // Sign until the signature's last character has spare bits we can set without changing the
    // decoded bytes (32 bytes = 43 characters, 2 spare bits in the last one): "A" becomes "B".
    let token = "";
    for (let i = 0; !token.endsWith("A"); i++) token = signer.sign({ key: `k${i}`, subject: "user-1" }, { now }).token;
    const [payload, signature] = token.split(".") as [string, string];
    const respelled = `${signature.slice(0, -1)}B`;
    expect(Buffer.from(respelled, "base64url").equals(Buffer.from(signature, "base64url"))).toBe(true);
    expect(signer.verify(token, { now }).ok).toBe(true);
    expect(signer.verify(`${payload}.${respelled}`, { now })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuses a token signed with another secret", () => {
    const other = createBlobUrlSigner({ secret: randomBytes(32) });
    const { token } = other.sign({ key: "k1", subject: "public" }, { now });
    expect(signer.verify(token, { now })).toEqual({ ok: false, reason: "bad_signature" });
  });
});
