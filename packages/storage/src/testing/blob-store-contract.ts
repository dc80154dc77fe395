import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBody, type BlobStore } from "../blob-store";

export interface ContractSubject {
  store: BlobStore;
  close(): Promise<void>;
}

/** What every BlobStore driver must do; each driver's test file runs this once. */
export function describeBlobStoreContract(name: string, open: () => Promise<ContractSubject>) {
  describe(`BlobStore contract: ${name}`, () => {
    let subject: ContractSubject;
    let scratch: string;
    const store = () => subject.store;
    // Spans several 64 KiB segments and ends mid-segment.
    const payload = randomBytes(3 * 65536 + 1234);

    beforeAll(async () => {
      subject = await open();
      scratch = await mkdtemp(path.join(tmpdir(), "blob-contract-"));
    });
    afterAll(async () => {
      await subject?.close();
      if (scratch) await rm(scratch, { recursive: true, force: true });
    });

    it("stores bytes and reads them back with their type and size", async () => {
      const { key, bytes } = await store().put(payload, { contentType: "video/mp4", name: "clip.mp4" });
      expect(bytes).toBe(payload.length);
      expect(await store().exists(key)).toBe(true);
      expect(await store().stat(key)).toEqual({ contentType: "video/mp4", size: payload.length });
      const read = await store().get(key);
      expect(read).not.toBeNull();
      expect(read!.contentType).toBe("video/mp4");
      expect(read!.size).toBe(payload.length);
      expect(read!.range).toEqual({ start: 0, end: payload.length - 1 });
      expect((await readBody(read!.body)).equals(payload)).toBe(true);
    });

    it("stores a file from disk", async () => {
      const file = path.join(scratch, "input.bin");
      await writeFile(file, payload);
      const { key, bytes } = await store().put({ path: file }, { contentType: "application/octet-stream" });
      expect(bytes).toBe(payload.length);
      expect((await readBody((await store().get(key))!.body)).equals(payload)).toBe(true);
    });

    it("stores a stream of unknown length, read once, in small chunks", async () => {
      let reads = 0;
      async function* chunks() {
        for (let offset = 0; offset < payload.length; offset += 7000) {
          reads += 1;
          await Promise.resolve(); // each chunk arrives later, as from a network or a zip writer
          yield payload.subarray(offset, Math.min(payload.length, offset + 7000));
        }
      }
      const { key, bytes } = await store().put({ stream: chunks() }, { contentType: "application/zip", name: "a.zip" });
      expect(bytes).toBe(payload.length);
      expect(reads).toBe(Math.ceil(payload.length / 7000));
      expect(await store().stat(key)).toEqual({ contentType: "application/zip", size: payload.length });
      expect((await readBody((await store().get(key))!.body)).equals(payload)).toBe(true);
      const empty = await store().put({ stream: (async function* () {})() }, { contentType: "application/zip" });
      expect(empty.bytes).toBe(0);
      expect((await store().get(empty.key))!.size).toBe(0);
    });

    it("returns exactly the bytes of a range, across segment boundaries and at the ends", async () => {
      const { key } = await store().put(payload, { contentType: "video/mp4" });
      const ranges: Array<[number, number]> = [
        [0, 0],
        [10, 20],
        [65530, 65545],
        [65536, 131071],
        [100, payload.length - 1],
        [payload.length - 1, payload.length - 1],
        [1000, 150_000],
      ];
      for (const [start, end] of ranges) {
        const read = await store().get(key, { start, end });
        expect(read!.range).toEqual({ start, end });
        expect(read!.size).toBe(payload.length);
        expect((await readBody(read!.body)).equals(payload.subarray(start, end + 1)), `${start}-${end}`).toBe(true);
      }
      const clamped = await store().get(key, { start: payload.length - 5, end: payload.length + 100 });
      expect(clamped!.range).toEqual({ start: payload.length - 5, end: payload.length - 1 });
      expect((await readBody(clamped!.body)).equals(payload.subarray(payload.length - 5))).toBe(true);
      await expect(store().get(key, { start: payload.length, end: payload.length + 10 })).rejects.toThrow(RangeError);
    });

    it("stores an empty blob", async () => {
      const { key, bytes } = await store().put(new Uint8Array(0), { contentType: "text/plain" });
      expect(bytes).toBe(0);
      const read = await store().get(key);
      expect(read!.size).toBe(0);
      expect((await readBody(read!.body)).length).toBe(0);
    });

    it("answers null for unknown keys and never resolves a key as a path", async () => {
      for (const key of [
        "0123456789abcdef0123456789abcdef",
        "../../etc/passwd",
        "..%2f..%2fetc%2fpasswd",
        "/etc/passwd",
        "",
      ]) {
        expect(await store().get(key)).toBeNull();
        expect(await store().stat(key)).toBeNull();
        expect(await store().exists(key)).toBe(false);
        await expect(store().delete(key)).resolves.toBeUndefined();
      }
    });

    it("deletes, and deleting again is not an error", async () => {
      const { key } = await store().put(payload.subarray(0, 100), { contentType: "image/webp" });
      await store().delete(key);
      expect(await store().exists(key)).toBe(false);
      expect(await store().get(key)).toBeNull();
      await expect(store().delete(key)).resolves.toBeUndefined();
    });

    it("lists every stored blob with when it was stored, page by page, and not a deleted one", async () => {
      const started = Date.now();
      const put: string[] = [];
      for (let i = 0; i < 5; i++)
        put.push((await store().put(payload.subarray(0, 10 + i), { contentType: "image/webp" })).key);
      const gone = put.pop()!;
      await store().delete(gone);
      const listed = new Map<string, Date>();
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await store().list({ cursor, limit: 2 });
        expect(page.blobs.length).toBeLessThanOrEqual(2);
        for (const blob of page.blobs) {
          expect(listed.has(blob.key), `${blob.key} listed twice`).toBe(false);
          listed.set(blob.key, blob.storedAt);
        }
        cursor = page.cursor;
        pages += 1;
      } while (cursor !== null && pages < 1000);
      for (const key of put) {
        expect(listed.has(key), key).toBe(true);
        // Store clocks may round to the second.
        expect(listed.get(key)!.getTime()).toBeGreaterThanOrEqual(started - 2000);
        expect(listed.get(key)!.getTime()).toBeLessThanOrEqual(Date.now() + 2000);
      }
      expect(listed.has(gone)).toBe(false);
      expect(pages).toBeGreaterThan(1);
    });

    it("gives every put its own key", async () => {
      const a = await store().put(payload.subarray(0, 10), { contentType: "image/webp" });
      const b = await store().put(payload.subarray(0, 10), { contentType: "image/webp" });
      expect(a.key).not.toBe(b.key);
    });
  });
}
