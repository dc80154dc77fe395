import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseEncryptionKeys } from "@animateimg/storage";
import { resolveDevStorage } from "./dev-storage";

const dataDir = mkdtempSync(path.join(tmpdir(), "dev-storage-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("resolveDevStorage", () => {
  it("defaults to encrypted local disk with dev secrets generated once and kept private", () => {
    const first = resolveDevStorage({}, dataDir);
    expect(first.env.STORAGE_LOCAL_ROOT).toBe(path.join(dataDir, "blobs"));
    expect(parseEncryptionKeys(first.env.STORAGE_ENCRYPTION_KEYS ?? "")).not.toBeNull();
    expect(first.env.BLOB_URL_SECRET?.length).toBeGreaterThanOrEqual(32);
    expect(first.description).toMatch(/^storage: local disk, AES-256-GCM encrypted/);
    const secrets = path.join(dataDir, "storage", "dev-secrets.json");
    expect(existsSync(secrets)).toBe(true);
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    // The next start reuses them, so blobs written before still decrypt.
    expect(resolveDevStorage({}, dataDir).env).toEqual(first.env);
  });

  it("uses what is configured", () => {
    const configured = resolveDevStorage({ UPLOADTHING_TOKEN: "token", BLOB_URL_SECRET: "s".repeat(32) }, dataDir);
    expect(configured.env).toEqual({ UPLOADTHING_TOKEN: "token", BLOB_URL_SECRET: "s".repeat(32) });
    expect(configured.description).toBe("storage: UploadThing (UPLOADTHING_TOKEN is set)");
  });
});
