import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createEncryptionCodec } from "@animateimg/workflows/payload-codec";
import type { AuthSession } from "../trpc";
import { createCodecHttpHandler } from "./codec-http-handler";

// Sessions by cookie value: who is asking is decided by the app's session (tested with the
// auth router); here, what the endpoint does with each kind of person.
const sessions: Record<string, AuthSession> = {
  admin: { id: "s1", user: { id: "u1", email: "a@example.test", name: "Admin", role: "admin", emailVerified: true } },
  user: { id: "s2", user: { id: "u2", email: "u@example.test", name: "User", role: "user", emailVerified: true } },
};
const resolveSession = (headers: Headers) => Promise.resolve(sessions[headers.get("cookie") ?? ""] ?? null);
const codec = createEncryptionCodec({ keys: new Map([["k1", randomBytes(32)]]), activeKeyId: "k1" });
const ui = "http://localhost:8233";
const handler = createCodecHttpHandler({ resolveSession, codec, uiOrigins: [ui] });

const b64 = (text: string) => Buffer.from(text).toString("base64");
const call = (operation: string, init: { cookie?: string; origin?: string; body?: unknown; method?: string }) =>
  handler(
    new Request(`http://localhost:3000/api/temporal-codec/${operation}`, {
      method: init.method ?? "POST",
      headers: {
        "content-type": "application/json",
        ...(init.cookie ? { cookie: init.cookie } : {}),
        ...(init.origin ? { origin: init.origin } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    }),
    operation,
  );

describe("Temporal UI codec endpoint", () => {
  it("decodes for an administrator, with CORS credentials for the Temporal UI only", async () => {
    const [sealed] = await codec.encode([
      { metadata: { encoding: Buffer.from("json/plain") }, data: Buffer.from('"a prompt"') },
    ]);
    const body = {
      payloads: [
        {
          metadata: { encoding: b64("binary/encrypted"), "encryption-key-id": b64("k1") },
          data: Buffer.from(sealed!.data!).toString("base64"),
        },
      ],
    };
    const response = await call("decode", { cookie: "admin", origin: ui, body });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe(ui);
    expect(response.headers.get("access-control-allow-credentials")).toBe("true");
    const decoded = (await response.json()) as { payloads: Array<{ metadata: Record<string, string>; data: string }> };
    expect(Buffer.from(decoded.payloads[0]!.data, "base64").toString()).toBe('"a prompt"');
    expect(Buffer.from(decoded.payloads[0]!.metadata.encoding!, "base64").toString()).toBe("json/plain");

    const elsewhere = await call("decode", { cookie: "admin", origin: "https://evil.example", body });
    expect(elsewhere.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await call("decode", { method: "OPTIONS", origin: ui });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("x-namespace");
  });

  it("refuses anyone but an administrator, with a sentence and no payload", async () => {
    const body = { payloads: [] };
    const anonymous = await call("decode", { body });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { message: string } }).error.message).toMatch(
      /Sign in .* administrator/,
    );
    const user = await call("decode", { cookie: "user", body });
    expect(user.status).toBe(403);
    expect(((await user.json()) as { error: { message: string } }).error.message).toBe(
      "Only administrators can read workflow payloads.",
    );
  });

  it("answers bad bodies, unknown operations and a missing key with typed errors", async () => {
    expect((await call("decode", { cookie: "admin", body: { payloads: "nope" } })).status).toBe(400);
    expect((await call("rotate", { cookie: "admin", body: { payloads: [] } })).status).toBe(404);
    const unknownKey = {
      payloads: [
        {
          metadata: { encoding: b64("binary/encrypted"), "encryption-key-id": b64("gone") },
          data: b64("x".repeat(40)),
        },
      ],
    };
    const response = await call("decode", { cookie: "admin", body: unknownKey });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/no payload key "gone"/);
    const off = createCodecHttpHandler({ resolveSession, codec: undefined, uiOrigins: [] });
    const req = new Request("http://localhost:3000/api/temporal-codec/decode", {
      method: "POST",
      headers: { cookie: "admin" },
      body: "{}",
    });
    expect((await off(req, "decode")).status).toBe(503);
  });
});
