import { describe, expect, it } from "vitest";
import { describeUserAgent } from "./describe-user-agent";
import { findPasswordProblem } from "./password-policy";
import { isAllowedOrigin } from "./request-origin";

describe("password policy", () => {
  it("takes 8 to 128 characters and refuses the most common passwords, case-insensitively", () => {
    expect(findPasswordProblem("seven77")).toMatch(/at least 8/);
    expect(findPasswordProblem("x".repeat(129))).toMatch(/at most 128/);
    expect(findPasswordProblem("PassWord1")).toMatch(/most commonly used/);
    expect(findPasswordProblem("qwertyuiop")).toMatch(/most commonly used/);
    expect(findPasswordProblem("zzzzzzzzzz")).toMatch(/repeated/);
    expect(findPasswordProblem("margaret.h@example.test", { email: "margaret.h@example.test" })).toMatch(/email/);
    expect(findPasswordProblem("a quiet orange lantern")).toBeNull();
    expect(findPasswordProblem("🙂".repeat(8))).toMatch(/repeated/);
  });
});

describe("Origin check", () => {
  const allowed = { allowedOrigins: ["https://app.test"] };
  const req = (method: string, headers: Record<string, string>) =>
    new Request("https://app.test/api/trpc/x", { method, headers });
  it("lets reads through and checks every state-changing method", () => {
    expect(isAllowedOrigin(req("GET", {}), allowed)).toBe(true);
    expect(isAllowedOrigin(req("POST", {}), allowed)).toBe(false);
    expect(isAllowedOrigin(req("POST", { origin: "https://app.test" }), allowed)).toBe(true);
    expect(isAllowedOrigin(req("POST", { origin: "https://app.test.evil.example" }), allowed)).toBe(false);
    expect(isAllowedOrigin(req("DELETE", { origin: "https://evil.example", host: "app.test" }), allowed)).toBe(false);
    expect(isAllowedOrigin(req("POST", { origin: "http://localhost:3000", host: "localhost:3000" }), allowed)).toBe(
      true,
    );
    expect(isAllowedOrigin(req("POST", { origin: "not a url" }), allowed)).toBe(false);
  });
});

describe("describeUserAgent", () => {
  it("names common browsers and systems", () => {
    expect(
      describeUserAgent(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
      ),
    ).toEqual({ browser: "Edge 131", os: "macOS" });
    expect(
      describeUserAgent("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/130.0 Mobile Safari/537.36"),
    ).toEqual({
      browser: "Chrome 130",
      os: "Android",
    });
    expect(describeUserAgent(null)).toEqual({ browser: "Unknown browser", os: "unknown system" });
  });
});

describe("common-password list", () => {
  it("covers a common word with digits, years or a symbol appended", () => {
    for (const password of ["Monkey123", "dragon2024!", "Summer2026", "letmein!!", "Football1!", "Welcome@123"]) {
      expect(findPasswordProblem(password), password).not.toBeNull();
    }
    expect(findPasswordProblem("monkey on a bicycle")).toBeNull();
  });
});
