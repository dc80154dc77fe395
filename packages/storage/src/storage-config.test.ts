import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createStorageFromEnv, parseEncryptionKeys, storageEnv } from "./storage-config";

describe("storage configuration", () => {
  it("parses rotating keys: the first encrypts", () => {
    const a = randomBytes(32).toString("base64");
    const b = randomBytes(32).toString("base64");
    const parsed = parseEncryptionKeys(`2026b:${b}, 2026a:${a}`);
    expect(parsed?.activeKeyId).toBe("2026b");
    expect([...parsed!.keys.keys()]).toEqual(["2026b", "2026a"]);
    expect(parseEncryptionKeys(`x:${randomBytes(16).toString("base64")}`)).toBeNull();
    expect(parseEncryptionKeys("no-separator")).toBeNull();
    expect(storageEnv.safeParse({ STORAGE_ENCRYPTION_KEYS: "x:short" }).success).toBe(false);
  });

  it("chooses UploadThing when its token is set, else local disk, and names what is missing", async () => {
    const token = Buffer.from(JSON.stringify({ apiKey: "sk_test_x", appId: "app", regions: ["sea1"] })).toString(
      "base64",
    );
    expect(createStorageFromEnv({ UPLOADTHING_TOKEN: token }).store.driver).toBe("uploadthing");
    expect(() => createStorageFromEnv({})).toThrow(/STORAGE_LOCAL_ROOT is required/);
    const root = await mkdtemp(path.join(tmpdir(), "storage-config-"));
    try {
      expect(() => createStorageFromEnv({ STORAGE_LOCAL_ROOT: root })).toThrow(/STORAGE_ENCRYPTION_KEYS is required/);
      const local = createStorageFromEnv({
        STORAGE_LOCAL_ROOT: root,
        STORAGE_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")}`,
        BLOB_URL_SECRET: randomBytes(32).toString("hex"),
      });
      expect(local.store.driver).toBe("local");
      expect(local.signer.verify(local.signer.sign({ key: "k", subject: "u" }).token).ok).toBe(true);
      const withoutSecret = createStorageFromEnv({
        STORAGE_LOCAL_ROOT: root,
        STORAGE_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")}`,
      });
      expect(() => withoutSecret.signer.sign({ key: "k", subject: "u" })).toThrow(/BLOB_URL_SECRET is required/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
