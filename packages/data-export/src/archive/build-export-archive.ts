import { createHash } from "node:crypto";
import { Readable, Transform, type PassThrough } from "node:stream";
import type { BlobStore } from "@animateimg/storage";
import { ZipFile } from "yazl";
import type { Executor } from "@animateimg/db";
import { archiveReadme } from "./archive-readme";
import {
  measureArchive,
  readAccount,
  readGenerations,
  readLedger,
  readSessions,
  readUploadFiles,
  type ArchiveFile,
} from "./read-user-data";

export interface BuildExportArchiveOptions {
  userId: string;
  /** Where the archive is written, and where the person's uploads and videos are read from (decrypted by the store). */
  store: BlobStore;
  now?: Date;
  /** Called as bytes go into the archive, with a fraction between 0 and 1 (never 1 before the archive is stored). */
  onProgress?: (fraction: number) => void;
}

export interface ExportArchiveEntry {
  path: string;
  kind: "readme" | "index" | "data" | "upload" | "output_video";
  bytes: number;
  sha256: string;
  /** The asset or generation a file belongs to. */
  ownerId?: string;
}

export interface BuiltExportArchive {
  key: string;
  bytes: number;
  entries: ExportArchiveEntry[];
  /** Files recorded in the database whose bytes storage no longer has (listed in index.json). */
  missing: Array<{ path: string; ownerId: string }>;
}

/**
 * Builds one ZIP of everything the person's account holds and streams it into `store` as it is
 * made: entries are added one at a time (the next only once the previous one has been read),
 * each blob is read as a stream, and the zip's output stream is the put's source, so memory
 * stays bounded by a few chunks whatever the account's size. Every query is scoped to the owner.
 */
export async function buildExportArchive(
  db: Executor,
  options: BuildExportArchiveOptions,
): Promise<BuiltExportArchive> {
  const { userId, store } = options;
  const now = options.now ?? new Date();
  const account = await readAccount(db, userId);
  if (!account) throw new Error(`No account ${userId} to export.`);
  const size = await measureArchive(db, userId);
  // Files weigh their bytes; each generation or ledger row weighs 4 KiB, so an account with
  // many records and few files still shows movement.
  const total = Math.max(1, size.fileBytes + size.records * 4096);
  let done = 0;
  const advance = (amount: number) => {
    done += amount;
    options.onProgress?.(Math.min(0.99, done / total));
  };

  const zip = new ZipFile();
  const output = zip.outputStream as PassThrough;
  // A source that fails to open is reported by yazl as an error event; the entry's own promise
  // already carries the failure, so the event only has to stop the output.
  zip.on("error", (error: Error) => output.destroy(error));
  const stored = store.put({ stream: output }, { contentType: "application/zip", name: "animateimg-export.zip" });
  // If the put fails (storage down), stop feeding the zip: its entries would wait forever.
  let putFailed: unknown = null;
  stored.catch((error: unknown) => {
    putFailed = error;
    output.destroy();
  });

  const entries: ExportArchiveEntry[] = [];
  const missing: BuiltExportArchive["missing"] = [];

  // Adds one entry and resolves once yazl has read it to the end (its bytes are on their way
  // to storage), so at most one source is open at a time.
  const addEntry = (
    path: string,
    kind: ExportArchiveEntry["kind"],
    source: () => Promise<Readable>,
    extra: { ownerId?: string; compress?: boolean; weight?: (bytes: number) => number } = {},
  ) =>
    new Promise<void>((resolve, reject) => {
      if (putFailed) return reject(asError(putFailed));
      const hash = createHash("sha256");
      let bytes = 0;
      zip.addReadStreamLazy(path, { compress: extra.compress ?? true, mtime: now }, (callback) => {
        source().then(
          (readable) => {
            const measured = new Transform({
              transform(chunk: Buffer, _encoding, next) {
                hash.update(chunk);
                bytes += chunk.length;
                if (extra.weight) advance(extra.weight(chunk.length));
                next(null, chunk);
              },
            });
            readable.on("error", (error) => measured.destroy(error));
            measured.on("error", reject);
            measured.on("end", () => {
              entries.push({
                path,
                kind,
                bytes,
                sha256: hash.digest("hex"),
                ...(extra.ownerId ? { ownerId: extra.ownerId } : {}),
              });
              resolve();
            });
            callback(null, readable.pipe(measured));
          },
          (error: unknown) => {
            reject(asError(error));
            callback(error, Readable.from([]));
          },
        );
      });
    });
  const addJson = (path: string, value: unknown, kind: ExportArchiveEntry["kind"] = "data") =>
    addEntry(path, kind, () => Promise.resolve(Readable.from([Buffer.from(`${JSON.stringify(value, null, 2)}\n`)])));
  // A JSON array written element by element from pages of records.
  const addJsonArray = <T>(path: string, pages: AsyncIterable<T[]>, onRecord?: (record: T) => void) =>
    addEntry(path, "data", () =>
      Promise.resolve(
        Readable.from(
          (async function* () {
            let first = true;
            yield Buffer.from("[");
            for await (const page of pages) {
              for (const record of page) {
                onRecord?.(record);
                yield Buffer.from(`${first ? "\n" : ",\n"}${JSON.stringify(record, null, 2).replace(/^/gm, "  ")}`);
                first = false;
                advance(4096);
              }
            }
            yield Buffer.from(first ? "]\n" : "\n]\n");
          })(),
        ),
      ),
    );
  const addFile = async (file: ArchiveFile) => {
    const read = await store.get(file.blobKey);
    if (!read) {
      missing.push({ path: file.path, ownerId: file.ownerId });
      advance(file.bytes);
      return;
    }
    let counted = 0;
    await addEntry(file.path, file.kind, () => Promise.resolve(Readable.from(read.body)), {
      ownerId: file.ownerId,
      compress: false,
      weight: (bytes) => {
        // Progress by the bytes recorded at upload, never past them (the read may differ).
        const step = Math.max(0, Math.min(bytes, file.bytes - counted));
        counted += bytes;
        return step;
      },
    });
    advance(Math.max(0, file.bytes - counted));
  };

  try {
    await addEntry("README.txt", "readme", () =>
      Promise.resolve(Readable.from([Buffer.from(archiveReadme({ exportedAt: now }))])),
    );
    await addJson("account.json", account);
    await addJson("sessions.json", await readSessions(db, userId));
    // Generations stream into generations.json; their output videos are noted and added after.
    const outputs: ArchiveFile[] = [];
    await addJsonArray(
      "generations.json",
      (async function* () {
        for await (const page of readGenerations(db, userId)) {
          for (const item of page) if (item.outputFile) outputs.push(item.outputFile);
          yield page.map((item) => item.record);
        }
      })(),
    );
    await addJsonArray("credit-ledger.json", readLedger(db, userId));
    for await (const page of readUploadFiles(db, userId)) for (const file of page) await addFile(file);
    for (const file of outputs) await addFile(file);
    const index = {
      format: "animateimg-data-export",
      version: 1,
      userId,
      exportedAt: now.toISOString(),
      files: entries.map((entry) => ({ ...entry })),
      missingFiles: missing,
    };
    await addJson("index.json", index, "index");
    zip.end();
  } catch (error) {
    output.destroy(error instanceof Error ? error : new Error(String(error)));
    await stored.catch(() => {});
    throw asError(putFailed ?? error);
  }
  const blob = await stored;
  return { key: blob.key, bytes: blob.bytes, entries, missing };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
