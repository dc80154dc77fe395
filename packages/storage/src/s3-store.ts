import type { BlobPage, ListOptions } from "./blob-store";
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type ServerSideEncryption,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import {
  isStreamSource,
  type BlobRead,
  type BlobSource,
  type BlobStat,
  type BlobStore,
  type ByteRange,
  type PutOptions,
  type StoredBlob,
} from "./blob-store";

/**
 * S3 and the stores that speak its protocol (R2, MinIO, GCS interoperability), through the
 * official AWS SDK v3. This is the store several machines share: every web and worker process
 * reads and writes the same bucket.
 *
 * Objects are private (no ACL is ever sent, so the bucket's owner-only default applies; a
 * bucket that blocks public access stays compatible) and encrypted at rest by the server
 * (`x-amz-server-side-encryption` on every write). Bytes still leave only through our signed
 * `/api/blobs/<token>` URLs; no object URL is ever handed out.
 */
export interface S3StoreOptions {
  bucket: string;
  region: string;
  /** For S3-compatible stores (MinIO, R2, a test server); AWS itself needs none. */
  endpoint?: string;
  /** Path-style URLs (`endpoint/bucket/key`), which MinIO and most test servers need. */
  forcePathStyle?: boolean;
  /** Static credentials; when omitted the SDK's default chain (env, profile, instance role) applies. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Server-side encryption asked of the store; `none` only for stores that refuse the header. */
  serverSideEncryption?: "AES256" | "aws:kms" | "none";
  /** KMS key for `aws:kms` (the bucket's default key when omitted). */
  kmsKeyId?: string;
  /** Folder inside the bucket, e.g. `animateimg/`; keys returned to callers never include it. */
  prefix?: string;
  /** Multipart part size for files (default 8 MiB, S3's minimum is 5 MiB). */
  partSizeBytes?: number;
  /** A ready client (tests, custom middleware); built from the options above when omitted. */
  client?: S3Client;
}

export function createS3Store(options: S3StoreOptions): BlobStore {
  const client =
    options.client ??
    new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? false,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      // Checksums only where the API requires them: several S3-compatible stores reject the
      // SDK's default CRC32 trailers on uploads.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  const bucket = options.bucket;
  const prefix = options.prefix ?? "";
  const sse = options.serverSideEncryption ?? "AES256";
  const encryption: { ServerSideEncryption?: ServerSideEncryption; SSEKMSKeyId?: string } =
    sse === "none"
      ? {}
      : {
          ServerSideEncryption: sse,
          ...(sse === "aws:kms" && options.kmsKeyId ? { SSEKMSKeyId: options.kmsKeyId } : {}),
        };
  const objectKey = (key: string) => `${prefix}${key}`;

  async function put(source: BlobSource, putOptions: PutOptions): Promise<StoredBlob> {
    const key = randomBytes(16).toString("hex");
    const common = { Bucket: bucket, Key: objectKey(key), ContentType: putOptions.contentType, ...encryption };
    if (source instanceof Uint8Array) {
      await client.send(new PutObjectCommand({ ...common, Body: source, ContentLength: source.length }));
      return { key, bytes: source.length };
    }
    const partSize = Math.max(5 * 1024 * 1024, options.partSizeBytes ?? 8 * 1024 * 1024);
    if (isStreamSource(source)) {
      // Unknown length: the SDK fills one part at a time (at most queueSize parts in memory)
      // and falls back to a single PutObject when the stream ends within the first part.
      let bytes = 0;
      const counted = Readable.from(
        (async function* () {
          for await (const chunk of source.stream) {
            bytes += chunk.byteLength;
            yield chunk;
          }
        })(),
        { objectMode: false },
      );
      const upload = new Upload({
        client,
        params: { ...common, Body: counted },
        partSize,
        queueSize: 2,
        leavePartsOnError: false,
      });
      await upload.done();
      return { key, bytes };
    }
    // Large videos stream from disk in parts; nothing is held in memory whole.
    const { size } = await stat(source.path);
    if (size === 0) {
      await client.send(new PutObjectCommand({ ...common, Body: new Uint8Array(0), ContentLength: 0 }));
      return { key, bytes: 0 };
    }
    const upload = new Upload({
      client,
      params: { ...common, Body: createReadStream(source.path) },
      partSize,
      queueSize: 2,
      leavePartsOnError: false,
    });
    await upload.done();
    return { key, bytes: size };
  }

  async function statBlob(key: string): Promise<BlobStat | null> {
    if (!isStoreKey(key)) return null;
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
      return { contentType: head.ContentType ?? "application/octet-stream", size: head.ContentLength ?? 0 };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async function get(key: string, range?: ByteRange): Promise<BlobRead | null> {
    if (!isStoreKey(key)) return null;
    if (
      range &&
      (!Number.isSafeInteger(range.start) ||
        !Number.isSafeInteger(range.end) ||
        range.start < 0 ||
        range.end < range.start)
    ) {
      throw new RangeError(`Invalid byte range ${range.start}-${range.end}.`);
    }
    try {
      const response = await client.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: objectKey(key),
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      if (!response.Body) throw new Error("The object store answered without a body.");
      const contentType = response.ContentType ?? "application/octet-stream";
      const body = response.Body.transformToWebStream() as ReadableStream<Uint8Array>;
      if (range) {
        // The store clamps the end to the object's size and says so in Content-Range.
        const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.ContentRange ?? "");
        if (match) {
          return {
            contentType,
            size: Number(match[3]),
            range: { start: Number(match[1]), end: Number(match[2]) },
            body,
          };
        }
        // A store that ignored the Range sent the whole object: only range 0-… can be that.
        const size = response.ContentLength ?? 0;
        if (range.start !== 0) {
          await body.cancel();
          throw new Error("The object store ignored a Range request.");
        }
        return { contentType, size, range: { start: 0, end: Math.max(0, size - 1) }, body };
      }
      const size = response.ContentLength ?? 0;
      return { contentType, size, range: { start: 0, end: Math.max(0, size - 1) }, body };
    } catch (error) {
      if (isMissing(error)) return null;
      if (
        error instanceof S3ServiceException &&
        (error.name === "InvalidRange" || error.$metadata.httpStatusCode === 416)
      ) {
        throw new RangeError(`Range ${range?.start}-${range?.end} is outside the blob.`, { cause: error });
      }
      throw error;
    }
  }

  async function exists(key: string): Promise<boolean> {
    return (await statBlob(key)) !== null;
  }

  async function remove(key: string): Promise<void> {
    if (!isStoreKey(key)) return;
    // S3 answers 204 for a missing key too, so a retried delete is not an error.
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
  }

  /**
   * Objects under our prefix in key order (S3 lists in UTF-8 binary order); the cursor is the
   * last key listed (StartAfter), so deleting listed objects never makes the next page skip one.
   * Anything under the prefix that is not one of our keys is left out.
   */
  async function list({ cursor, limit }: ListOptions): Promise<BlobPage> {
    const response = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        MaxKeys: Math.min(1000, Math.max(1, limit)),
        ...(prefix ? { Prefix: prefix } : {}),
        ...(cursor ? { StartAfter: objectKey(cursor) } : {}),
      }),
    );
    const objects = response.Contents ?? [];
    const blobs = objects
      .map((object) => ({ key: (object.Key ?? "").slice(prefix.length), storedAt: object.LastModified ?? new Date(0) }))
      .filter((blob) => isStoreKey(blob.key));
    const last = objects.at(-1)?.Key;
    return { blobs, cursor: response.IsTruncated && last ? last.slice(prefix.length) : null };
  }

  return { driver: "s3", put, get, stat: statBlob, exists, delete: remove, list };
}

// Keys are 128 random bits in hex, made by put(); nothing else is ever sent to the store.
function isStoreKey(key: string): boolean {
  return /^[0-9a-f]{32}$/.test(key);
}

function isMissing(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    error.name !== "NoSuchBucket" &&
    (error.name === "NoSuchKey" || error.name === "NotFound" || error.$metadata.httpStatusCode === 404)
  );
}
