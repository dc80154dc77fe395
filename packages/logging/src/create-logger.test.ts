import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { acceptRequestId, createLogger, createUserHasher } from "./index";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(chunk.toString("utf8"));
      done();
    },
  });
  return { lines, destination, text: () => lines.join("") };
}

describe("createLogger", () => {
  it("redacts credentials, prompts and emails by key and masks emails left in messages", () => {
    const out = capture();
    const log = createLogger({ service: "test", destination: out.destination });
    log.info(
      {
        password: "hunter2-pw",
        input: { prompt: "a secret cat prompt", email: "ada@example.com" },
        headers: { cookie: "session=abc123cookie" },
        generationId: "g-1",
      },
      "signed up",
    );
    log.error(
      { err: new Error("duplicate key (email)=(ada@example.com)") },
      "failed for grace@example.org with Bearer tok_live_123",
    );
    const text = out.text();
    for (const secret of [
      "hunter2-pw",
      "a secret cat prompt",
      "ada@example.com",
      "abc123cookie",
      "grace@example.org",
      "tok_live_123",
    ])
      expect(text).not.toContain(secret);
    expect(JSON.parse(out.lines[0]!)).toMatchObject({
      service: "test",
      generationId: "g-1",
      msg: "signed up",
      password: "[redacted]",
    });
  });

  it("redacts at any depth and in any spelling, in child bindings too, and masks our API keys and bearer tokens by shape", () => {
    const out = capture();
    const apiKey = `aimg_${"a".repeat(24)}_${"b".repeat(24)}`;
    const log = createLogger({ service: "test", destination: out.destination }).child({
      request: { headers: { Authorization: "Basic dXNlcjpwYXNz", "X-Api-Key": "k-secret-1" } },
    });
    log.info(
      {
        a: {
          b: { c: { d: { negative_prompt: "deep prompt text", taskToken: "tt-secret", list: [{ Email: "x@y.io" }] } } },
        },
        requestId: "req-1",
        userHash: "abc",
      },
      `key ${apiKey} used`,
    );
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    log.child({ grand: { cookie: "grandchild-cookie" } }).warn({ cyclic }, "cycle");
    const text = out.text();
    for (const secret of [
      "dXNlcjpwYXNz",
      "k-secret-1",
      "deep prompt text",
      "tt-secret",
      "x@y.io",
      "b".repeat(24),
      "grandchild-cookie",
    ])
      expect(text).not.toContain(secret);
    expect(text).toContain(`aimg_${"a".repeat(24)}_[redacted]`);
    expect(JSON.parse(out.lines[0]!)).toMatchObject({ requestId: "req-1", userHash: "abc" });
    expect(JSON.parse(out.lines[1]!)).toMatchObject({ cyclic: { name: "loop", self: "[…]" } });
  });

  it("leaves errors to pino's serializer (type, message, stack), their text masked by shape", () => {
    const out = capture();
    createLogger({ service: "test", destination: out.destination }).error(
      { err: new TypeError("no user ada@example.com") },
      "boom",
    );
    const record = JSON.parse(out.lines[0]!) as { err: { type: string; message: string; stack: string } };
    expect(record.err).toMatchObject({ type: "TypeError", message: "no user [email]" });
    expect(record.err.stack).toContain("create-logger.test.ts");
  });

  it("writes readable lines when asked", () => {
    const out = capture();
    createLogger({ service: "web", destination: out.destination, format: "pretty" }).warn(
      { requestId: "r-12345678" },
      "slow",
    );
    expect(out.text()).toMatch(/^\d\d:\d\d:\d\d WARN {2}web: slow requestId=r-12345678\n$/);
  });
});

describe("correlation", () => {
  it("keeps a plain incoming request id and replaces anything else", () => {
    expect(acceptRequestId("edge-1234abcd")).toBe("edge-1234abcd");
    for (const bad of [null, "", "short", "has space in it", "x".repeat(200), "line\nbreak-1234"])
      expect(acceptRequestId(bad)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("hashes a user id with a key: stable, not the id, different under another key", () => {
    const hash = createUserHasher("k".repeat(32));
    expect(hash("user-1")).toBe(hash("user-1"));
    expect(hash("user-1")).not.toContain("user-1");
    expect(createUserHasher("j".repeat(32))("user-1")).not.toBe(hash("user-1"));
  });
});
