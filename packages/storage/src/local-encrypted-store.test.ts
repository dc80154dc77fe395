import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBody } from "./blob-store";
import { BlobIntegrityError, createLocalEncryptedStore } from "./local-encrypted-store";
import { describeBlobStoreContract } from "./testing";

const keyA = randomBytes(32);
const keyB = randomBytes(32);

describeBlobStoreContract("local encrypted", async () => {
  const root = await mkdtemp(path.join(tmpdir(), "blobs-"));
  return {
    store: createLocalEncryptedStore({ root, keys: new Map([["a", keyA]]), activeKeyId: "a" }),
    close: () => rm(root, { recursive: true, force: true }),
  };
});

describe("local encrypted store at rest", () => {
  let root: string;
  const fileOf = (key: string) => path.join(root, key.slice(0, 2), key);
  const plaintext = Buffer.from("JPEG-ish plaintext that must never sit on disk as is. ".repeat(5000));

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "blobs-"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("does not write the plaintext to disk", async () => {
    const store = createLocalEncryptedStore({ root, keys: new Map([["a", keyA]]), activeKeyId: "a" });
    const { key } = await store.put(plaintext, { contentType: "image/jpeg" });
    const onDisk = await readFile(fileOf(key));
    expect(onDisk.includes(plaintext.subarray(0, 32))).toBe(false);
    expect(onDisk.includes(Buffer.from("plaintext that must never"))).toBe(false);
    expect(onDisk.length).toBeGreaterThan(plaintext.length);
    expect(await readdir(path.join(root, "tmp"))).toEqual([]);
  });

  it("refuses a blob whose ciphertext was altered", async () => {
    const store = createLocalEncryptedStore({
      root,
      keys: new Map([["a", keyA]]),
      activeKeyId: "a",
      segmentSize: 1024,
    });
    const { key } = await store.put(plaintext, { contentType: "image/jpeg" });
    const bytes = await readFile(fileOf(key));
    bytes[bytes.length - 100]! ^= 0x01; // last segment
    await writeFile(fileOf(key), bytes);
    // The first segment is intact, so the read starts; it fails when it reaches the change.
    const read = await store.get(key);
    await expect(readBody(read!.body)).rejects.toThrow(BlobIntegrityError);
    await expect(store.get(key, { start: plaintext.length - 10, end: plaintext.length - 1 })).rejects.toThrow(
      /failed to decrypt/,
    );
  });

  it("refuses a blob whose header (content type) was altered", async () => {
    const store = createLocalEncryptedStore({ root, keys: new Map([["a", keyA]]), activeKeyId: "a" });
    const { key } = await store.put(plaintext, { contentType: "image/jpeg" });
    const bytes = await readFile(fileOf(key));
    const at = bytes.indexOf(Buffer.from("image/jpeg"));
    bytes.write("text/html!", at);
    await writeFile(fileOf(key), bytes);
    await expect(store.get(key)).rejects.toThrow(BlobIntegrityError);
  });

  it("refuses a truncated blob and a blob moved to another key", async () => {
    const store = createLocalEncryptedStore({
      root,
      keys: new Map([["a", keyA]]),
      activeKeyId: "a",
      segmentSize: 1024,
    });
    const { key } = await store.put(plaintext, { contentType: "image/jpeg" });
    const bytes = await readFile(fileOf(key));
    // Drop the whole last segment: every remaining segment authenticates, but none is marked last.
    const lastSegment = (plaintext.length % 1024 || 1024) + 16;
    await writeFile(fileOf(key), bytes.subarray(0, bytes.length - lastSegment));
    await expect(readBody((await store.get(key))!.body)).rejects.toThrow(BlobIntegrityError);

    const other = await store.put(Buffer.from("other"), { contentType: "image/jpeg" });
    await writeFile(fileOf(other.key), bytes);
    await expect(store.get(other.key)).rejects.toThrow(BlobIntegrityError);
  });

  it("rotates keys: old blobs still read under a newer active key, and need their key", async () => {
    const before = createLocalEncryptedStore({ root, keys: new Map([["a", keyA]]), activeKeyId: "a" });
    const { key: oldKey } = await before.put(plaintext, { contentType: "image/png" });
    const after = createLocalEncryptedStore({
      root,
      keys: new Map([
        ["b", keyB],
        ["a", keyA],
      ]),
      activeKeyId: "b",
    });
    expect((await readBody((await after.get(oldKey))!.body)).equals(plaintext)).toBe(true);
    const { key: newKey } = await after.put(plaintext, { contentType: "image/png" });
    expect((await readFile(fileOf(newKey))).includes(Buffer.from("b"))).toBe(true);
    const withoutA = createLocalEncryptedStore({ root, keys: new Map([["b", keyB]]), activeKeyId: "b" });
    await expect(withoutA.get(oldKey)).rejects.toThrow(/not configured/);
    const wrongKey = createLocalEncryptedStore({ root, keys: new Map([["a", keyB]]), activeKeyId: "a" });
    await expect(wrongKey.get(oldKey)).rejects.toThrow(BlobIntegrityError);
  });
});
