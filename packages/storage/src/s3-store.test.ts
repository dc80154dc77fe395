import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { GetObjectAclCommand, HeadObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBody } from "./blob-store";
import { createS3Store } from "./s3-store";
import { createStorageFromEnv } from "./storage-config";
import { describeBlobStoreContract, startTestS3Server, type TestS3Server } from "./testing";

let s3: TestS3Server;
beforeAll(async () => {
  s3 = await startTestS3Server();
}, 180_000);
afterAll(async () => {
  await s3?.stop();
});

describeBlobStoreContract("s3 (AWS SDK v3 against a local S3-compatible server)", async () => ({
  store: createS3Store(await s3.storeOptions()),
  close: async () => {},
}));

describe("s3 store", () => {
  it("writes private objects with server-side encryption, under the configured prefix", async () => {
    const options = await s3.storeOptions();
    const store = createS3Store({ ...options, prefix: "animateimg/" });
    const { key } = await store.put(Buffer.from("private bytes"), { contentType: "image/webp" });
    const objectKey = `animateimg/${key}`;
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: options.bucket }));
    expect(listed.Contents?.map((object) => object.Key)).toEqual([objectKey]);
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: objectKey }));
    expect(head.ServerSideEncryption).toBe("AES256");
    expect(head.ContentType).toBe("image/webp");
    const acl = await s3.client.send(new GetObjectAclCommand({ Bucket: options.bucket, Key: objectKey }));
    // Only the owner may read: no grant to AllUsers or AuthenticatedUsers.
    expect(acl.Grants?.map((grant) => grant.Permission)).toEqual(["FULL_CONTROL"]);
    expect(acl.Grants?.every((grant) => grant.Grantee?.Type === "CanonicalUser")).toBe(true);
    // An anonymous request for the object is refused.
    const anonymous = await fetch(`${options.endpoint}/${options.bucket}/${objectKey}`);
    await anonymous.body?.cancel();
    expect(anonymous.ok).toBe(false);
    expect((await readBody((await store.get(key))!.body)).toString()).toBe("private bytes");
  });

  it("refuses to pretend an unknown bucket is an empty one", async () => {
    const options = await s3.storeOptions();
    const store = createS3Store({ ...options, bucket: "no-such-bucket-here" });
    await expect(store.get("0123456789abcdef0123456789abcdef")).rejects.toThrow();
  });

  it("is chosen by S3_BUCKET and names a half-set credential pair", async () => {
    const options = await s3.storeOptions();
    const env = {
      S3_BUCKET: options.bucket,
      S3_ENDPOINT: options.endpoint,
      S3_FORCE_PATH_STYLE: "true" as const,
      S3_ACCESS_KEY_ID: options.credentials!.accessKeyId,
      S3_SECRET_ACCESS_KEY: options.credentials!.secretAccessKey,
    };
    const { store } = createStorageFromEnv(env);
    expect(store.driver).toBe("s3");
    const { key } = await store.put(Buffer.from("x"), { contentType: "text/plain" });
    expect(await store.stat(key)).toEqual({ contentType: "text/plain", size: 1 });
    expect(() => createStorageFromEnv({ ...env, S3_SECRET_ACCESS_KEY: undefined })).toThrow(
      /S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together/,
    );
  });
});

describe("s3 multipart", () => {
  it("streams a large file from disk in parts and reads it back whole and by range", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "s3-multipart-"));
    try {
      const bytes = randomBytes(11 * 1024 * 1024 + 17);
      const file = path.join(dir, "video.mp4");
      await writeFile(file, bytes);
      const store = createS3Store({ ...(await s3.storeOptions()), partSizeBytes: 5 * 1024 * 1024 });
      const { key, bytes: size } = await store.put({ path: file }, { contentType: "video/mp4" });
      expect(size).toBe(bytes.length);
      expect((await readBody((await store.get(key))!.body)).equals(bytes)).toBe(true);
      const tail = await store.get(key, { start: bytes.length - 100, end: bytes.length + 5 });
      expect((await readBody(tail!.body)).equals(bytes.subarray(bytes.length - 100))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("s3 multipart from a stream", () => {
  it("uploads a stream longer than one part without knowing its length", async () => {
    const bytes = randomBytes(11 * 1024 * 1024 + 17);
    const store = createS3Store({ ...(await s3.storeOptions()), partSizeBytes: 5 * 1024 * 1024 });
    async function* chunks() {
      for (let offset = 0; offset < bytes.length; offset += 256 * 1024) {
        await Promise.resolve(); // each chunk arrives later, as from a network or a zip writer
        yield bytes.subarray(offset, offset + 256 * 1024);
      }
    }
    const { key, bytes: size } = await store.put({ stream: chunks() }, { contentType: "application/zip" });
    expect(size).toBe(bytes.length);
    expect(await store.stat(key)).toEqual({ contentType: "application/zip", size: bytes.length });
    expect((await readBody((await store.get(key))!.body)).equals(bytes)).toBe(true);
  });
});
