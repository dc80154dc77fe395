import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Payload } from "@temporalio/common";
import { createEncryptionCodec, encryptedEncoding, PayloadDecryptionError } from "./payload-codec";

const json = (value: unknown): Payload => ({
  metadata: { encoding: Buffer.from("json/plain") },
  data: Buffer.from(JSON.stringify(value)),
});
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString("utf8");

describe("payload encryption codec", () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it("round-trips metadata and data, and the stored bytes hold neither", async () => {
    const codec = createEncryptionCodec({ keys: new Map([["k1", k1]]), activeKeyId: "k1" });
    const original = json({ prompt: "a secret prompt", url: "https://cdn.example/v.mp4" });
    const [sealed] = await codec.encode([original]);
    expect(text(sealed!.metadata!.encoding)).toBe(encryptedEncoding);
    expect(text(sealed!.metadata!["encryption-key-id"])).toBe("k1");
    expect(text(sealed!.data)).not.toContain("secret prompt");
    expect(text(sealed!.data)).not.toContain("json/plain");
    const [opened] = await codec.decode([sealed!]);
    expect(text(opened!.metadata!.encoding)).toBe("json/plain");
    expect(JSON.parse(text(opened!.data))).toEqual({ prompt: "a secret prompt", url: "https://cdn.example/v.mp4" });
  });

  it("encrypts the same payload differently each time (fresh nonce)", async () => {
    const codec = createEncryptionCodec({ keys: new Map([["k1", k1]]), activeKeyId: "k1" });
    const [a, b] = await codec.encode([json("same"), json("same")]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it("rotates: the new first key encrypts, the old one still decrypts what history holds", async () => {
    const before = createEncryptionCodec({ keys: new Map([["k1", k1]]), activeKeyId: "k1" });
    const after = createEncryptionCodec({
      keys: new Map([
        ["k2", k2],
        ["k1", k1],
      ]),
      activeKeyId: "k2",
    });
    const [old] = await before.encode([json({ n: 1 })]);
    const [fresh] = await after.encode([json({ n: 2 })]);
    expect(text(fresh!.metadata!["encryption-key-id"])).toBe("k2");
    const decoded = await after.decode([old!, fresh!]);
    expect(decoded.map((p): unknown => JSON.parse(text(p.data)))).toEqual([{ n: 1 }, { n: 2 }]);
    // A process that dropped k1 too early says which key it lacks.
    const tooEarly = createEncryptionCodec({ keys: new Map([["k2", k2]]), activeKeyId: "k2" });
    await expect(tooEarly.decode([old!])).rejects.toThrow(/no payload key "k1"/);
  });

  it("refuses tampered ciphertext and a swapped key id", async () => {
    const codec = createEncryptionCodec({
      keys: new Map([
        ["k1", k1],
        ["k2", k2],
      ]),
      activeKeyId: "k1",
    });
    const [sealed] = await codec.encode([json("x")]);
    const tampered = { ...sealed!, data: Buffer.from(sealed!.data!) };
    tampered.data[tampered.data.length - 1]! ^= 1;
    await expect(codec.decode([tampered])).rejects.toBeInstanceOf(PayloadDecryptionError);
    const swapped = { ...sealed!, metadata: { ...sealed!.metadata, "encryption-key-id": Buffer.from("k2") } };
    await expect(codec.decode([swapped])).rejects.toThrow(/did not authenticate/);
  });

  it("passes payloads written before encryption was turned on through decode unchanged", async () => {
    const codec = createEncryptionCodec({ keys: new Map([["k1", k1]]), activeKeyId: "k1" });
    const plain = json({ old: true });
    expect(await codec.decode([plain])).toEqual([plain]);
  });
});
