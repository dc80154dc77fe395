import { describe, expect, it } from "vitest";
import { createUnsubscribeTokens, deriveUnsubscribeSecret } from "./unsubscribe-token";

const tokens = createUnsubscribeTokens({ secret: "s".repeat(40) });
const userId = "3f2c1a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f";

describe("unsubscribe tokens", () => {
  it("round-trip to the account id", () => {
    const token = tokens.create(userId);
    expect(token).toMatch(/^u1\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(tokens.verify(token)).toBe(userId);
  });

  it("refuse a token signed with another secret, a changed id, a second spelling or garbage", () => {
    const token = tokens.create(userId);
    const other = createUnsubscribeTokens({ secret: "t".repeat(40) });
    expect(other.verify(token)).toBeNull();
    const [prefix, id, mac] = token.split(".") as [string, string, string];
    const otherId = Buffer.from(id, "base64url");
    otherId[0] = otherId[0]! ^ 1;
    expect(tokens.verify(`${prefix}.${otherId.toString("base64url")}.${mac}`)).toBeNull();
    expect(tokens.verify(`${token}=`)).toBeNull();
    expect(tokens.verify(`${prefix}.${id}.${mac.slice(0, -1)}${mac.at(-1) === "A" ? "B" : "A"}`)).toBeNull();
    expect(tokens.verify("")).toBeNull();
    expect(tokens.verify("u1..")).toBeNull();
    expect(tokens.verify("v9.abc.def")).toBeNull();
  });

  it("derive a distinct, stable secret from another server secret", () => {
    const derived = deriveUnsubscribeSecret("blob-url-secret-0123456789abcdef0123");
    expect(derived).toBe(deriveUnsubscribeSecret("blob-url-secret-0123456789abcdef0123"));
    expect(derived).not.toContain("blob-url-secret");
    expect(derived.length).toBeGreaterThanOrEqual(32);
  });

  it("need a long secret", () => {
    expect(() => createUnsubscribeTokens({ secret: "short" })).toThrow(/32 characters/);
  });
});
