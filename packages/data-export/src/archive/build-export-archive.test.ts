import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createLocalEncryptedStore, readBody, type BlobSource, type BlobStore } from "@animateimg/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedAccountWithHistory, unzipEntries, type SeededAccount } from "../testing";
import { buildExportArchive } from "./build-export-archive";

let database: TestDatabase;
let store: BlobStore;
let alice: SeededAccount;
let bob: SeededAccount;
/** Every source handed to put(), to prove the archive arrives as a stream. */
const putSources: BlobSource[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const real = createLocalEncryptedStore({
    root: mkdtempSync(path.join(tmpdir(), "export-archive-")),
    keys: new Map([["k", randomBytes(32)]]),
    activeKeyId: "k",
  });
  store = {
    ...real,
    put: (source, options) => {
      putSources.push(source);
      return real.put(source, options);
    },
  };
  alice = await seedAccountWithHistory(database.db, store, "alice");
  bob = await seedAccountWithHistory(database.db, store, "bob");
  putSources.length = 0;
});

afterAll(async () => {
  await database?.drop();
});

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

interface GenerationJson {
  id: string;
  prompt: string;
  parameters: unknown;
  status: string;
  output: { file: string } | null;
  attempts: Array<{ attemptNo: number; provider: string; outcome: string; errorKind: string | null }>;
}
interface IndexJson {
  files: Array<{ path: string; bytes: number; sha256: string }>;
  missingFiles: unknown[];
}
const parse = <T>(files: Map<string, Buffer>, name: string): T => JSON.parse(files.get(name)!.toString()) as T;

describe("buildExportArchive", () => {
  it("holds every generation, upload and video of the person, byte for byte, and nothing of anyone else", async () => {
    const progress: number[] = [];
    const built = await buildExportArchive(database.db, {
      userId: alice.userId,
      store,
      onProgress: (f) => progress.push(f),
    });

    // The archive reached storage as a stream, never as one Buffer in memory.
    expect(putSources).toHaveLength(1);
    expect(putSources[0]).not.toBeInstanceOf(Uint8Array);
    expect(putSources[0]).toHaveProperty("stream");

    const read = await store.get(built.key);
    expect(read?.contentType).toBe("application/zip");
    const zip = await readBody(read!.body);
    expect(zip.length).toBe(built.bytes);
    const files = await unzipEntries(zip);

    for (const name of [
      "README.txt",
      "account.json",
      "sessions.json",
      "generations.json",
      "credit-ledger.json",
      "index.json",
    ]) {
      expect(files.has(name), name).toBe(true);
    }
    const account = parse<unknown>(files, "account.json");
    expect(account).toMatchObject({
      id: alice.userId,
      email: alice.email,
      name: "alice person",
      credits: { available: 25, owed: 0 },
    });

    const sessions = parse<Array<{ userAgent: string }>>(files, "sessions.json");
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.userAgent).toBe("agent-of-alice");
    expect(JSON.stringify(sessions)).not.toMatch(/secret|hash/i);

    const generations = parse<GenerationJson[]>(files, "generations.json");
    expect(generations.map((g) => g.id).sort()).toEqual(alice.generations.map((g) => g.id).sort());
    for (const expected of alice.generations) {
      const record = generations.find((g) => g.id === expected.id)!;
      expect(record.prompt).toBe(expected.prompt);
      expect(record.parameters).toEqual({ motion: "zoom-in", seed: alice.generations.indexOf(expected) });
      if (expected.output) {
        expect(record.status).toBe("succeeded");
        expect(files.get(record.output!.file)!.equals(expected.output)).toBe(true);
        expect(record.attempts).toEqual([
          expect.objectContaining({ attemptNo: 1, provider: "local", outcome: "succeeded" }),
        ]);
      } else {
        expect(record).toMatchObject({ status: "failed", failureReason: "provider_error", output: null });
        expect(record.attempts.map((a) => [a.provider, a.errorKind])).toEqual([
          ["kie", "transient"],
          ["fal", "invalid_input"],
        ]);
      }
    }

    const uploads = [...files.keys()].filter((name) => name.startsWith("uploads/"));
    expect(uploads).toHaveLength(alice.uploads.length);
    for (const upload of alice.uploads) {
      const name = uploads.find((entry) => entry.startsWith(`uploads/${upload.assetId}`));
      expect(name, upload.name).toBeDefined();
      expect(name).not.toContain("..");
      expect(files.get(name!)!.equals(upload.bytes)).toBe(true);
    }
    const videos = [...files.keys()].filter((name) => name.startsWith("videos/"));
    expect(videos).toHaveLength(alice.generations.filter((g) => g.output).length);

    const ledger = parse<unknown[]>(files, "credit-ledger.json");
    expect(ledger).toEqual([expect.objectContaining({ kind: "grant", amount: 25, reason: "alice welcome" })]);

    // index.json lists every other entry with its size and hash.
    const index = parse<IndexJson>(files, "index.json");
    expect(index.files.map((f) => f.path).sort()).toEqual([...files.keys()].filter((n) => n !== "index.json").sort());
    for (const file of index.files) {
      expect(file.sha256, file.path).toBe(sha256(files.get(file.path)!));
      expect(file.bytes).toBe(files.get(file.path)!.length);
    }
    expect(index.missingFiles).toEqual([]);

    // Nothing of Bob's: no id, prompt, email, session, file bytes.
    const everything = Buffer.concat([...files.values()]);
    const text = everything.toString("latin1");
    for (const marker of [
      bob.userId,
      bob.email,
      "agent-of-bob",
      "bob welcome",
      "bob upstream",
      ...bob.generations.flatMap((g) => [g.id, g.prompt]),
      ...bob.uploads.map((u) => u.assetId),
    ]) {
      expect(text.includes(marker), marker).toBe(false);
    }
    for (const bytes of [
      ...bob.uploads.map((u) => u.bytes),
      ...bob.generations.flatMap((g) => (g.output ? [g.output] : [])),
    ]) {
      expect(everything.includes(bytes.subarray(0, 64))).toBe(false);
    }

    // Progress only rises, stays below 1 until the archive is stored, and ends near the top.
    expect(progress.length).toBeGreaterThan(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(Math.max(...progress)).toBeLessThan(1);
    expect(progress.at(-1)!).toBeGreaterThan(0.9);
  });

  it("lists a file whose bytes storage lost instead of failing the whole archive", async () => {
    const lost = alice.uploads[1]!;
    const { original_key } = await database.db
      .selectFrom("assets")
      .select("original_key")
      .where("id", "=", lost.assetId)
      .executeTakeFirstOrThrow();
    await store.delete(original_key);
    const built = await buildExportArchive(database.db, { userId: alice.userId, store });
    expect(built.missing).toHaveLength(1);
    expect(built.missing[0]!.ownerId).toBe(lost.assetId);
    expect(built.missing[0]!.path.startsWith(`uploads/${lost.assetId}`)).toBe(true);
    const files = await unzipEntries(await readBody((await store.get(built.key))!.body));
    expect(parse<IndexJson>(files, "index.json").missingFiles).toHaveLength(1);
    expect([...files.keys()].some((name) => name.startsWith(`uploads/${lost.assetId}`))).toBe(false);
  });

  it("stops and stores nothing usable when storage fails mid-archive", async () => {
    let stored = 0;
    const failing: BlobStore = {
      ...store,
      put: async (source, options) => {
        if (!("stream" in source) || source instanceof Uint8Array) return store.put(source, options);
        let sent = 0;
        return store
          .put(
            {
              stream: (async function* () {
                for await (const chunk of source.stream) {
                  sent += chunk.byteLength;
                  if (sent > 100_000) throw new Error("storage went away");
                  yield chunk;
                }
              })(),
            },
            options,
          )
          .then((blob) => {
            stored += 1;
            return blob;
          });
      },
    };
    await expect(buildExportArchive(database.db, { userId: alice.userId, store: failing })).rejects.toThrow(
      "storage went away",
    );
    expect(stored).toBe(0);
  });
});
