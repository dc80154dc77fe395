import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from "node:fs/promises";
import path from "node:path";
import {
  isStreamSource,
  rangeLength,
  resolveRange,
  type BlobRead,
  type BlobPage,
  type BlobSource,
  type BlobStat,
  type ListedBlob,
  type ListOptions,
  type BlobStore,
  type ByteRange,
  type PutOptions,
  type StoredBlob,
} from "./blob-store";

/**
 * Local disk, encrypted at rest with AES-256-GCM.
 *
 * File layout (all integers big-endian):
 *   "AIB1" | keyIdLength u8 | keyId | salt (16) | segmentSize u32 | contentTypeLength u16 | contentType
 *   then segments: ciphertext (segmentSize bytes, the last one shorter) followed by its 16-byte tag.
 *
 * Why segments: a video player seeks with Range requests; with one GCM stream we would have to
 * decrypt from byte 0 to serve the last second. With 64 KiB segments, each authenticated on its
 * own, a range read decrypts only the segments it touches.
 * Why these nonces: every blob gets its own data key, HKDF(master key, random salt), so the
 * nonce only has to be unique within the blob: segment index (u32) plus a "last segment" flag
 * (the STREAM construction), which also makes truncating or reordering segments fail to
 * decrypt. The header and the blob's key are the additional authenticated data of every
 * segment, so changing the content type or moving a file to another key fails too.
 * The key id in the header names the master key, so keys can rotate: new blobs use the first
 * key, old blobs still decrypt while their key stays listed.
 */
export interface LocalEncryptedStoreOptions {
  root: string;
  /** Master keys by id; `activeKeyId` encrypts new blobs, all of them decrypt. */
  keys: ReadonlyMap<string, Buffer>;
  activeKeyId: string;
  /** Plaintext bytes per segment (64 KiB by default; tests use small ones). */
  segmentSize?: number;
}

const MAGIC = Buffer.from("AIB1");
const TAG_BYTES = 16;
const SALT_BYTES = 16;
const KEY_PATTERN = /^[a-f0-9]{32}$/;

/** A blob whose bytes do not authenticate: tampered with, truncated, or under an unknown key. */
export class BlobIntegrityError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BlobIntegrityError";
  }
}

interface Header {
  keyId: string;
  salt: Buffer;
  segmentSize: number;
  contentType: string;
  bytes: Buffer;
}

export function createLocalEncryptedStore(options: LocalEncryptedStoreOptions): BlobStore {
  const { root, keys, activeKeyId } = options;
  const segmentSize = options.segmentSize ?? 64 * 1024;
  const activeKey = keys.get(activeKeyId);
  if (!activeKey) throw new Error(`Storage key "${activeKeyId}" is not among the configured keys.`);
  for (const [id, key] of keys) {
    if (key.length !== 32) throw new Error(`Storage key "${id}" must be 32 bytes (AES-256), got ${key.length}.`);
    if (Buffer.byteLength(id) > 255 || id.length === 0) throw new Error(`Storage key id "${id}" must be 1-255 bytes.`);
  }

  const blobPath = (key: string) => {
    if (!KEY_PATTERN.test(key)) throw new Error("Not a blob key of this store.");
    return path.join(root, key.slice(0, 2), key);
  };

  async function put(source: BlobSource, putOptions: PutOptions): Promise<StoredBlob> {
    const key = randomBytes(16).toString("hex");
    const header = encodeHeader({
      keyId: activeKeyId,
      salt: randomBytes(SALT_BYTES),
      segmentSize,
      contentType: putOptions.contentType,
    });
    const dataKey = deriveDataKey(activeKey!, header.salt);
    const aad = Buffer.concat([header.bytes, Buffer.from(key)]);
    const tmpDir = path.join(root, "tmp");
    await mkdir(tmpDir, { recursive: true });
    const tmpPath = path.join(tmpDir, `${key}.partial`);
    const file = await open(tmpPath, "wx", 0o600);
    let bytes = 0;
    try {
      await file.write(header.bytes);
      let index = 0;
      for await (const { segment, last } of segmentsOf(readSource(source), segmentSize)) {
        bytes += segment.length;
        await file.write(sealSegment(dataKey, aad, index, last, segment));
        index += 1;
      }
      await file.sync();
    } catch (error) {
      await file.close();
      await rm(tmpPath, { force: true });
      throw error;
    }
    await file.close();
    const finalPath = blobPath(key);
    await mkdir(path.dirname(finalPath), { recursive: true });
    await rename(tmpPath, finalPath);
    return { key, bytes };
  }

  async function get(key: string, range?: ByteRange): Promise<BlobRead | null> {
    if (!KEY_PATTERN.test(key)) return null;
    let file: FileHandle;
    try {
      file = await open(blobPath(key), "r");
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    try {
      const fileSize = (await file.stat()).size;
      const header = await readHeader(file);
      const master = keys.get(header.keyId);
      if (!master)
        throw new BlobIntegrityError(`Blob ${key} is encrypted with key "${header.keyId}", which is not configured.`);
      const dataKey = deriveDataKey(master, header.salt);
      const aad = Buffer.concat([header.bytes, Buffer.from(key)]);
      const body = fileSize - header.bytes.length;
      const segmentCount = Math.ceil(body / (header.segmentSize + TAG_BYTES));
      if (segmentCount < 1 || body - segmentCount * TAG_BYTES < 0)
        throw new BlobIntegrityError(`Blob ${key} is truncated.`);
      const size = body - segmentCount * TAG_BYTES;
      const resolved = resolveRange(size, range);
      const length = rangeLength(size, resolved);
      const first = Math.floor(resolved.start / header.segmentSize);
      const last = size === 0 ? 0 : Math.floor(resolved.end / header.segmentSize);

      const readSegment = async (index: number): Promise<Buffer> => {
        const isLast = index === segmentCount - 1;
        const cipherLength = isLast ? body - index * (header.segmentSize + TAG_BYTES) : header.segmentSize + TAG_BYTES;
        const sealed = Buffer.alloc(cipherLength);
        const { bytesRead } = await file.read(
          sealed,
          0,
          cipherLength,
          header.bytes.length + index * (header.segmentSize + TAG_BYTES),
        );
        if (bytesRead !== cipherLength) throw new BlobIntegrityError(`Blob ${key} is truncated.`);
        return openSegment(dataKey, aad, index, isLast, sealed, key);
      };
      const slice = (index: number, plain: Buffer) => {
        const offset = index * header.segmentSize;
        return plain.subarray(Math.max(0, resolved.start - offset), Math.min(plain.length, resolved.end - offset + 1));
      };

      // The first segment is decrypted before answering, so a tampered blob fails here
      // rather than halfway through a response.
      const firstPlain = await readSegment(first);
      let next = first;
      let closed = false;
      const close = async () => {
        if (closed) return;
        closed = true;
        await file.close();
      };
      const stream = new ReadableStream<Uint8Array>({
        pull: async (controller) => {
          try {
            const plain = next === first ? firstPlain : await readSegment(next);
            if (length > 0) controller.enqueue(new Uint8Array(slice(next, plain)));
            next += 1;
            if (next > last || length === 0) {
              await close();
              controller.close();
            }
          } catch (error) {
            await close();
            controller.error(error);
          }
        },
        cancel: close,
      });
      return { contentType: header.contentType, size, range: resolved, body: stream };
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  async function exists(key: string): Promise<boolean> {
    if (!KEY_PATTERN.test(key)) return false;
    try {
      return (await stat(blobPath(key))).isFile();
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async function statBlob(key: string): Promise<BlobStat | null> {
    if (!KEY_PATTERN.test(key)) return null;
    let file: FileHandle;
    try {
      file = await open(blobPath(key), "r");
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    try {
      const header = await readHeader(file);
      const body = (await file.stat()).size - header.bytes.length;
      const segmentCount = Math.ceil(body / (header.segmentSize + TAG_BYTES));
      return { contentType: header.contentType, size: Math.max(0, body - segmentCount * TAG_BYTES) };
    } finally {
      await file.close();
    }
  }

  async function remove(key: string): Promise<void> {
    if (!KEY_PATTERN.test(key)) return;
    await rm(blobPath(key), { force: true });
  }

  /**
   * Keys in order: a blob lives in the folder named by its key's first two characters, so
   * folders in name order, then files in name order, is key order; the cursor is the last key
   * listed. Files still being written (tmp/) are not blobs yet.
   */
  async function list({ cursor, limit }: ListOptions): Promise<BlobPage> {
    const after = cursor ?? "";
    const blobs: ListedBlob[] = [];
    const folders = (await readdirOrEmpty(root))
      .filter((name) => /^[0-9a-f]{2}$/.test(name) && name >= after.slice(0, 2))
      .sort();
    for (const folder of folders) {
      const keys = (await readdirOrEmpty(path.join(root, folder)))
        .filter((name) => KEY_PATTERN.test(name) && name > after)
        .sort();
      for (const key of keys) {
        try {
          blobs.push({ key, storedAt: (await stat(path.join(root, folder, key))).mtime });
        } catch (error) {
          // Deleted since the folder was read.
          if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        }
        if (blobs.length >= limit) return { blobs, cursor: key };
      }
    }
    return { blobs, cursor: null };
  }

  return { driver: "local", put, get, stat: statBlob, exists, delete: remove, list };
}

function encodeHeader(fields: Omit<Header, "bytes">): Header {
  const keyId = Buffer.from(fields.keyId);
  const contentType = Buffer.from(fields.contentType);
  if (contentType.length > 0xffff) throw new Error("Content type too long.");
  const fixed = Buffer.alloc(4 + 2);
  fixed.writeUInt32BE(fields.segmentSize, 0);
  fixed.writeUInt16BE(contentType.length, 4);
  const bytes = Buffer.concat([MAGIC, Buffer.from([keyId.length]), keyId, fields.salt, fixed, contentType]);
  return { ...fields, bytes };
}

async function readdirOrEmpty(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

async function readHeader(file: FileHandle): Promise<Header> {
  const start = Buffer.alloc(4 + 1 + 255 + SALT_BYTES + 6);
  const { bytesRead } = await file.read(start, 0, start.length, 0);
  const head = start.subarray(0, bytesRead);
  if (head.length < 5 || !head.subarray(0, 4).equals(MAGIC))
    throw new BlobIntegrityError("Not an encrypted blob of this store.");
  const keyIdLength = head.readUInt8(4);
  let offset = 5;
  if (head.length < offset + keyIdLength + SALT_BYTES + 6)
    throw new BlobIntegrityError("The blob header is truncated.");
  const keyId = head.subarray(offset, offset + keyIdLength).toString();
  offset += keyIdLength;
  const salt = Buffer.from(head.subarray(offset, offset + SALT_BYTES));
  offset += SALT_BYTES;
  const segmentSize = head.readUInt32BE(offset);
  const contentTypeLength = head.readUInt16BE(offset + 4);
  offset += 6;
  if (segmentSize < 1) throw new BlobIntegrityError("The blob header is corrupt.");
  const contentTypeBytes = Buffer.alloc(contentTypeLength);
  const read = await file.read(contentTypeBytes, 0, contentTypeLength, offset);
  if (read.bytesRead !== contentTypeLength) throw new BlobIntegrityError("The blob header is truncated.");
  const bytes = Buffer.concat([head.subarray(0, offset), contentTypeBytes]);
  return { keyId, salt, segmentSize, contentType: contentTypeBytes.toString(), bytes };
}

function deriveDataKey(master: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", master, salt, "animateimg blob v1", 32));
}

function nonceFor(index: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  nonce.writeUInt32BE(index, 7);
  nonce.writeUInt8(last ? 1 : 0, 11);
  return nonce;
}

function sealSegment(dataKey: Buffer, aad: Buffer, index: number, last: boolean, plain: Buffer): Buffer {
  const cipher = createCipheriv("aes-256-gcm", dataKey, nonceFor(index, last));
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

function openSegment(dataKey: Buffer, aad: Buffer, index: number, last: boolean, sealed: Buffer, key: string): Buffer {
  if (sealed.length < TAG_BYTES) throw new BlobIntegrityError(`Blob ${key} is truncated.`);
  try {
    const decipher = createDecipheriv("aes-256-gcm", dataKey, nonceFor(index, last));
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch (cause) {
    throw new BlobIntegrityError(`Blob ${key} failed to decrypt: it was altered or is under another key.`, { cause });
  }
}

async function* readSource(source: BlobSource): AsyncGenerator<Buffer> {
  if (source instanceof Uint8Array) {
    yield Buffer.from(source.buffer, source.byteOffset, source.byteLength);
    return;
  }
  if (isStreamSource(source)) {
    // Each chunk is sealed and written before the next is read (segmentsOf keeps at most one
    // segment back), so a stream of any length uses bounded memory.
    for await (const chunk of source.stream) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    return;
  }
  for await (const chunk of createReadStream(source.path)) yield chunk as Buffer;
}

/** Re-chunks a byte stream into fixed-size segments, marking the last (possibly empty) one. */
async function* segmentsOf(
  chunks: AsyncIterable<Buffer>,
  size: number,
): AsyncGenerator<{ segment: Buffer; last: boolean }> {
  let pending: Buffer = Buffer.alloc(0);
  let full: Buffer | null = null;
  for await (const chunk of chunks) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= size) {
      if (full) yield { segment: full, last: false };
      full = pending.subarray(0, size);
      pending = pending.subarray(size);
    }
  }
  if (pending.length > 0) {
    if (full) yield { segment: full, last: false };
    yield { segment: pending, last: true };
  } else {
    yield { segment: full ?? Buffer.alloc(0), last: true };
  }
}

function isNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "ENOENT";
}
