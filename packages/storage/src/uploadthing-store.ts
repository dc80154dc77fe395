import { randomUUID } from "node:crypto";
import { createWriteStream, openAsBlob } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { UTApi, UTFile } from "uploadthing/server";
import {
  isStreamSource,
  rangeLength,
  resolveRange,
  type BlobPage,
  type BlobRead,
  type BlobSource,
  type BlobStat,
  type BlobStore,
  type ByteRange,
  type ListOptions,
  type PutOptions,
  type StoredBlob,
} from "./blob-store";

/**
 * UploadThing, through its server SDK (`UTApi`). Uploads pass through our server first (they
 * are validated and re-encoded there), then `uploadFiles` sends them to UploadThing's ingest
 * server. Reads use `generateSignedURL` (signed locally, no API round-trip) and fetch the
 * file from UploadThing's file host with the caller's Range; the browser never sees an
 * UploadThing URL, so our own signed URLs and ownership checks stay the only way in.
 *
 * `apiUrl`, `ingestUrl`, `ufsHost` and `ufsAppIdLocation` are the SDK's own configuration
 * keys; tests point them at a local fake (testing/fake-uploadthing.ts).
 */
export interface UploadThingStoreOptions {
  token: string;
  apiUrl?: string;
  ingestUrl?: string;
  ufsHost?: string;
  ufsAppIdLocation?: "subdomain" | "path";
  fetch?: typeof globalThis.fetch;
}

export function createUploadThingStore(options: UploadThingStoreOptions): BlobStore {
  const { fetch: fetchImpl = globalThis.fetch, ...config } = options;
  // The SDK types fetch as its own FetchEsque, which the platform's fetch satisfies at run time.
  const sdkFetch = fetchImpl as unknown as NonNullable<ConstructorParameters<typeof UTApi>[0]>["fetch"];
  const utapi = new UTApi({ ...config, fetch: sdkFetch, logLevel: "Error" });

  const signedUrl = async (key: string) => (await utapi.generateSignedURL(key, { expiresIn: 60 })).ufsUrl;

  async function put(source: BlobSource, putOptions: PutOptions): Promise<StoredBlob> {
    if (isStreamSource(source)) {
      // UploadThing's ingest needs the size before the first byte, which a stream does not
      // know: spool it to a private temp file (streamed, never whole in memory), then upload
      // that file, which the SDK reads from disk.
      const dir = await mkdtemp(path.join(tmpdir(), "animateimg-ut-spool-"));
      try {
        const file = path.join(dir, "blob");
        await pipeline(Readable.from(source.stream), createWriteStream(file, { mode: 0o600 }));
        return await put({ path: file }, putOptions);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    const part = source instanceof Uint8Array ? new Uint8Array(source) : await openAsBlob(source.path);
    // The SDK derives the file key from name, size, type and the current millisecond; a random
    // prefix keeps two identical puts in the same millisecond from sharing a key.
    const name = `${randomUUID()}-${putOptions.name ?? "blob"}`;
    // Node's BlobPropertyBag type omits `type` without the DOM lib; the property is standard.
    const fileOptions = { type: putOptions.contentType, lastModified: Date.now() };
    const file = new UTFile([part], name, fileOptions);
    // Private: the file host serves it only through a signed URL (ours, short-lived), never by its plain URL.
    const result = await utapi.uploadFiles(file, { acl: "private" });
    if (result.error) throw new Error(`UploadThing refused the upload: ${result.error.code} ${result.error.message}`);
    return { key: result.data.key, bytes: file.size };
  }

  async function statBlob(key: string): Promise<BlobStat | null> {
    if (!isUploadThingKey(key)) return null;
    const response = await fetchImpl(await signedUrl(key), { method: "HEAD" });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`UploadThing answered ${response.status} for a file's size.`);
    return {
      contentType: response.headers.get("content-type") ?? "application/octet-stream",
      size: Number(response.headers.get("content-length") ?? "0"),
    };
  }

  async function get(key: string, range?: ByteRange): Promise<BlobRead | null> {
    if (!isUploadThingKey(key)) return null;
    const headers: Record<string, string> = {};
    if (range) headers.range = `bytes=${range.start}-${range.end}`;
    const response = await fetchImpl(await signedUrl(key), { headers });
    if (response.status === 404) return null;
    if (response.status === 416) {
      await response.body?.cancel();
      throw new RangeError(`Range ${range?.start}-${range?.end} is outside the blob.`);
    }
    if (!response.ok || !response.body) throw new Error(`UploadThing answered ${response.status} for a file.`);
    const contentType = response.headers.get("content-type") ?? "application/octet-stream";
    if (response.status === 206) {
      const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get("content-range") ?? "");
      if (!match) throw new Error("UploadThing answered a range without a valid Content-Range.");
      return {
        contentType,
        size: Number(match[3]),
        range: { start: Number(match[1]), end: Number(match[2]) },
        body: response.body,
      };
    }
    // A full answer: serve the range from it ourselves.
    const size = Number(response.headers.get("content-length") ?? "0");
    const resolved = resolveRange(size, range);
    const body = range ? sliceStream(response.body, resolved.start, rangeLength(size, resolved)) : response.body;
    return { contentType, size, range: resolved, body };
  }

  async function exists(key: string): Promise<boolean> {
    return (await statBlob(key)) !== null;
  }

  async function remove(key: string): Promise<void> {
    if (!isUploadThingKey(key)) return;
    await utapi.deleteFiles(key);
  }

  /**
   * UploadThing's file list pages by offset (the cursor is the next offset). Files still
   * uploading or already pending deletion are not blobs of ours yet, or any more.
   */
  async function list({ cursor, limit }: ListOptions): Promise<BlobPage> {
    const offset = cursor ? Number(cursor) : 0;
    const page = await utapi.listFiles({ limit, offset });
    const blobs = page.files
      .filter((file) => file.status === "Uploaded")
      .map((file) => ({ key: file.key, storedAt: new Date(file.uploadedAt) }));
    return { blobs, cursor: page.hasMore ? String(offset + page.files.length) : null };
  }

  return { driver: "uploadthing", put, get, stat: statBlob, exists, delete: remove, list };
}

// UploadThing file keys are sqids over a URL-safe alphabet; anything else never reaches a URL.
function isUploadThingKey(key: string): boolean {
  return /^[A-Za-z0-9_-]{1,128}$/.test(key);
}

function sliceStream(body: ReadableStream<Uint8Array>, start: number, length: number): ReadableStream<Uint8Array> {
  let position = 0;
  let sent = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const from = Math.max(0, start - position);
        position += chunk.length;
        if (from >= chunk.length || sent >= length) return;
        const piece = chunk.subarray(from, Math.min(chunk.length, from + length - sent));
        sent += piece.length;
        controller.enqueue(piece);
      },
    }),
  );
}
