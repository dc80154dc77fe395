import { randomBytes } from "node:crypto";
import { readFile, readdir, mkdtemp, rm, writeFile, truncate } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { deflateSync, crc32 } from "node:zlib";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "@animateimg/core";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { runFfmpeg } from "@animateimg/media";
import { createLocalEncryptedStore, readBody, type BlobStore } from "@animateimg/storage";
import { createAssetFromUpload } from "./create-asset";
import { findBlobAccess, getAsset, hideAsset, listAssets, purgeAssetBlobs } from "./asset-queries";

let database: TestDatabase;
let scratch: string;
let blobRoot: string;
let store: BlobStore;
let alice: string;
let bob: string;

beforeAll(async () => {
  database = await createTestDatabase();
  scratch = await mkdtemp(path.join(tmpdir(), "assets-test-"));
  blobRoot = path.join(scratch, "blobs");
  store = createLocalEncryptedStore({ root: blobRoot, keys: new Map([["k1", randomBytes(32)]]), activeKeyId: "k1" });
  const insertUser = async (email: string) =>
    (
      await database.db
        .insertInto("users")
        .values({ email, name: email, password_hash: null, email_verified_at: null })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  alice = await insertUser("alice@example.test");
  bob = await insertUser("bob@example.test");
});

afterAll(async () => {
  await database?.drop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

let fileCounter = 0;
async function fileWith(bytes: Uint8Array): Promise<string> {
  fileCounter += 1;
  const filePath = path.join(scratch, `upload-${fileCounter}`);
  await writeFile(filePath, bytes);
  return filePath;
}

async function upload(bytes: Uint8Array, extra: Partial<Parameters<typeof createAssetFromUpload>[1]> = {}) {
  return createAssetFromUpload(database.db, {
    store,
    userId: alice,
    filePath: await fileWith(bytes),
    fileName: "photo.jpg",
    ...extra,
  });
}

/** Resolves to the AppError's reason and message; fails the test if nothing was thrown. */
async function refusal(
  promise: Promise<unknown>,
): Promise<{ reason: string | undefined; message: string; code: string }> {
  try {
    await promise;
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { reason: error.reason, message: error.message, code: error.code };
  }
  throw new Error("expected the upload to be refused");
}

const photo = (width = 640, height = 480) =>
  sharp({ create: { width, height, channels: 3, background: { r: 120, g: 160, b: 200 } } }).composite([
    {
      input: { create: { width: 40, height: 40, channels: 3, background: { r: 250, g: 10, b: 10 } } },
      left: 20,
      top: 20,
    },
  ]);

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A structurally valid grayscale PNG whose header claims `width` × `height`, with `idat` as its data. */
function pngClaiming(width: number, height: number, idat: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(0, 9); // grayscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", idat),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

describe("accepted photos", () => {
  it("re-encodes a JPEG, dropping EXIF and GPS, and records size, dimensions and SHA-256", async () => {
    const input = await photo()
      .jpeg()
      .withExif({
        IFD0: { Artist: "Secret Person", Copyright: "Secret Person" },
        IFD3: {
          GPSLatitudeRef: "N",
          GPSLatitude: "48/1 51/1 2964/100",
          GPSLongitudeRef: "E",
          GPSLongitude: "2/1 21/1 792/100",
        },
      })
      .toBuffer();
    const inputMeta = await sharp(input).metadata();
    expect(inputMeta.exif).toBeDefined();
    expect(input.includes(Buffer.from("Secret Person"))).toBe(true);

    const asset = await upload(input);
    expect(asset).toMatchObject({
      kind: "image",
      mime: "image/jpeg",
      width: 640,
      height: 480,
      durationMs: null,
      userId: alice,
      originalName: "photo.jpg",
    });
    const stored = await readBody((await store.get(asset.originalKey))!.body);
    expect(stored.length).toBe(asset.bytes);
    const { createHash } = await import("node:crypto");
    expect(createHash("sha256").update(stored).digest("hex")).toBe(asset.sha256);
    const storedMeta = await sharp(stored).metadata();
    expect(storedMeta.exif).toBeUndefined();
    expect(stored.includes(Buffer.from("Secret Person"))).toBe(false);
    const thumbnail = await readBody((await store.get(asset.thumbnailKey))!.body);
    expect(await sharp(thumbnail).metadata()).toMatchObject({ format: "webp", width: 512, height: 384 });
  });

  it("keeps transparency (PNG out), and reads WebP and AVIF", async () => {
    const transparent = await sharp({
      create: { width: 100, height: 80, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } },
    })
      .png()
      .toBuffer();
    expect(await upload(transparent)).toMatchObject({ mime: "image/png", width: 100, height: 80 });
    expect(await upload(await photo(300, 200).webp().toBuffer())).toMatchObject({
      mime: "image/jpeg",
      width: 300,
      height: 200,
    });
    expect(await upload(await photo(300, 200).avif({ effort: 0 }).toBuffer())).toMatchObject({
      mime: "image/jpeg",
      width: 300,
      height: 200,
    });
  });

  it("decodes HEIC (which sharp's prebuilt libvips cannot) and re-encodes it as JPEG", async () => {
    const heic = await readFile(new URL("./fixtures/photo.heic", import.meta.url));
    const asset = await upload(heic, { fileName: "IMG_0001.HEIC" });
    expect(asset).toMatchObject({ mime: "image/jpeg", width: 96, height: 64 });
    const stored = await readBody((await store.get(asset.originalKey))!.body);
    const { dominant } = await sharp(stored).stats();
    expect(dominant.r).toBeGreaterThan(150); // the fixture is mostly orange-red
  });

  it("applies the EXIF orientation before dropping it", async () => {
    const rotated = await photo(400, 200).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect(await upload(rotated)).toMatchObject({ width: 200, height: 400 });
  });
});

describe("refused uploads, each with a typed error a person understands", () => {
  it("wrong magic bytes, whatever the name says", async () => {
    const result = await refusal(upload(Buffer.from("MZ this is an executable, honest"), { fileName: "holiday.jpg" }));
    expect(result).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE", reason: "unsupported_type" });
    expect(result.message).toBe(
      "This file is not a photo we can read (JPEG, PNG, WebP, AVIF or HEIC) or a reference video (MP4, MOV or WebM).",
    );
  });

  it("a truncated JPEG", async () => {
    const whole = await photo(800, 600).jpeg().toBuffer();
    const result = await refusal(upload(whole.subarray(0, Math.floor(whole.length / 2))));
    expect(result).toMatchObject({ code: "UNPROCESSABLE_CONTENT", reason: "corrupt_image" });
    expect(result.message).toMatch(/damaged or incomplete/);
  });

  it("a decompression bomb: a small, valid PNG that inflates to 81 megapixels", async () => {
    const side = 9000;
    const bomb = pngClaiming(side, side, deflateSync(Buffer.alloc(side * (side + 1)), { level: 9 }));
    expect(bomb.length).toBeLessThan(200_000);
    const result = await refusal(upload(bomb));
    expect(result).toMatchObject({ code: "PAYLOAD_TOO_LARGE", reason: "too_many_pixels" });
    expect(result.message).toContain("9000 × 9000 pixels");
  });

  it("huge claimed dimensions (pixel flood) are refused from the header, before decoding", async () => {
    const flood = pngClaiming(100_000, 100_000, deflateSync(Buffer.alloc(1000)));
    const result = await refusal(upload(flood));
    expect(result).toMatchObject({ code: "PAYLOAD_TOO_LARGE", reason: "too_many_pixels" });
    expect(result.message).toBe(
      "This photo is 100000 × 100000 pixels; photos may be at most 40 megapixels and 12000 pixels on a side. Resize it and upload it again.",
    );
  });

  it("SVG with a script, with or without an XML prolog", async () => {
    for (const svg of [
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
      '\uFEFF<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    ]) {
      const result = await refusal(upload(Buffer.from(svg), { fileName: "logo.png" }));
      expect(result).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE", reason: "svg_refused" });
      expect(result.message).toMatch(/SVG images are not accepted/);
    }
    expect(await refusal(upload(Buffer.from("<!doctype html><html><script>x</script></html>")))).toMatchObject({
      reason: "markup_refused",
    });
  });

  it("polyglots: a real JPEG carrying HTML, and a PNG with a ZIP appended", async () => {
    const jpeg = await photo().jpeg().toBuffer();
    const withHtml = Buffer.concat([jpeg, Buffer.from("<html><script>fetch('/steal')</script></html>")]);
    expect(await refusal(upload(withHtml))).toMatchObject({
      code: "UNSUPPORTED_MEDIA_TYPE",
      reason: "polyglot_refused",
    });
    const png = await photo().png().toBuffer();
    const zipEnd = Buffer.concat([Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]);
    const withZip = Buffer.concat([png, Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(30), zipEnd]);
    const result = await refusal(upload(withZip));
    expect(result).toMatchObject({ reason: "polyglot_refused" });
    expect(result.message).toMatch(/something else hidden inside it/);
  });

  it("path-traversal file names are labels only: the name is cleaned and never touches the disk layout", async () => {
    const before = new Set(await listFilesUnder(scratch));
    const asset = await upload(await photo().jpeg().toBuffer(), { fileName: "../../../etc/passwd.jpg" });
    expect(asset.originalName).toBe("passwd.jpg");
    const windows = await upload(await photo().jpeg().toBuffer(), { fileName: "..\\..\\evil\u0000<b>.jpg" });
    expect(windows.originalName).toBe("evilb.jpg");
    const created = (await listFilesUnder(scratch)).filter((file) => !before.has(file) && !file.includes("upload-"));
    expect(created.length).toBeGreaterThan(0);
    for (const file of created) expect(file.startsWith(blobRoot + path.sep)).toBe(true);
    expect(created.some((file) => file.includes("passwd") || file.includes("evil"))).toBe(false);
  });

  it("zero bytes", async () => {
    const result = await refusal(upload(new Uint8Array(0)));
    expect(result).toMatchObject({ code: "BAD_REQUEST", reason: "empty_file" });
    expect(result.message).toMatch(/empty \(0 bytes\)/);
  });

  it("over the size limit, checked before the file is read", async () => {
    // A sparse 21 MB file that starts like a JPEG.
    const filePath = await fileWith(Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
    await truncate(filePath, 21 * 1024 * 1024);
    const result = await refusal(createAssetFromUpload(database.db, { store, userId: alice, filePath }));
    expect(result).toMatchObject({ code: "PAYLOAD_TOO_LARGE", reason: "photo_too_large" });
    expect(result.message).toBe("Photos may be at most 20 MB; this one is 21 MB.");
  });

  it("stores nothing when an upload is refused", async () => {
    const before = await listFilesUnder(blobRoot);
    await refusal(upload(Buffer.from("<svg/>")));
    await refusal(upload(pngClaiming(100_000, 100_000, deflateSync(Buffer.alloc(10)))));
    expect(await listFilesUnder(blobRoot)).toEqual(before);
  });
});

describe("reference videos", () => {
  const makeVideo = async (name: string, args: string[]) => {
    const out = path.join(scratch, name);
    await runFfmpeg(["-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15", ...args, out]);
    return readFile(out);
  };

  it("probes an MP4, records duration and dimensions, and makes a poster and thumbnail", async () => {
    const mp4 = await makeVideo("ok.mp4", [
      "-t",
      "3.2",
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-pix_fmt",
      "yuv420p",
    ]);
    const asset = await upload(mp4, { fileName: "dance.mp4" });
    expect(asset).toMatchObject({ kind: "video", mime: "video/mp4", width: 320, height: 240, bytes: mp4.length });
    expect(asset.durationMs).toBeGreaterThanOrEqual(3000);
    expect(asset.durationMs).toBeLessThan(3500);
    expect(asset.posterKey).not.toBeNull();
    const poster = await readBody((await store.get(asset.posterKey!))!.body);
    expect(await sharp(poster).metadata()).toMatchObject({ format: "jpeg", width: 320, height: 240 });
    const original = await store.get(asset.originalKey);
    expect(original!.contentType).toBe("video/mp4");
    expect((await readBody(original!.body)).equals(mp4)).toBe(true);
  });

  it("refuses a video that is too short, with the model's limits in the message", async () => {
    const short = await makeVideo("short.mp4", [
      "-t",
      "1",
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-pix_fmt",
      "yuv420p",
    ]);
    const result = await refusal(upload(short));
    expect(result).toMatchObject({ reason: "video_duration" });
    expect(result.message).toMatch(
      /^This video is 1\.0 seconds long; Motion Control reference videos must be between 3 and 30 seconds/,
    );
  });

  it("refuses a codec the models do not take", async () => {
    const mpeg4 = await makeVideo("old.mp4", ["-t", "3.2", "-c:v", "mpeg4"]);
    const result = await refusal(upload(mpeg4));
    expect(result).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE", reason: "unsupported_codec" });
    expect(result.message).toMatch(/H\.264/);
  });

  it("refuses a truncated video and a photo where a video was asked for", async () => {
    const mp4 = await makeVideo("cut.mp4", [
      "-t",
      "3.2",
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-pix_fmt",
      "yuv420p",
    ]);
    expect(await refusal(upload(mp4.subarray(0, 2000)))).toMatchObject({ reason: "corrupt_video" });
    expect(await refusal(upload(await photo().jpeg().toBuffer(), { expect: "video" }))).toMatchObject({
      reason: "wrong_kind",
    });
  });
});

describe("ownership and deletion", () => {
  it("scopes reads to the owner, hides at once, and removes the blobs", async () => {
    const asset = await upload(await photo().jpeg().toBuffer());
    await expect(getAsset(database.db, { userId: bob, assetId: asset.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(hideAsset(database.db, { userId: bob, assetId: asset.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await listAssets(database.db, { userId: bob })).map((a) => a.id)).not.toContain(asset.id);
    expect((await listAssets(database.db, { userId: alice })).map((a) => a.id)).toContain(asset.id);
    expect(await findBlobAccess(database.db, { key: asset.thumbnailKey })).toEqual({ ownerId: alice, isPublic: false });

    await expect(purgeAssetBlobs(database.db, { store, assetId: asset.id })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    await hideAsset(database.db, { userId: alice, assetId: asset.id });
    expect(await findBlobAccess(database.db, { key: asset.originalKey })).toBeNull();
    await expect(getAsset(database.db, { userId: alice, assetId: asset.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await listAssets(database.db, { userId: alice })).map((a) => a.id)).not.toContain(asset.id);

    expect(await store.exists(asset.originalKey)).toBe(true);
    const { deletedKeys } = await purgeAssetBlobs(database.db, { store, assetId: asset.id });
    expect(deletedKeys.sort()).toEqual([asset.originalKey, asset.thumbnailKey].sort());
    expect(await store.exists(asset.originalKey)).toBe(false);
    expect(await store.exists(asset.thumbnailKey)).toBe(false);
    expect(await purgeAssetBlobs(database.db, { store, assetId: asset.id })).toEqual({ deletedKeys: [] });
  });
});

describe("blob access for generation outputs", () => {
  it("follows the generation: owner only while private, public once shared and finished, nobody once deleted", async () => {
    const image = await upload(await photo().jpeg().toBuffer());
    const { id } = await database.db
      .insertInto("generations")
      .values({
        user_id: alice,
        model_id: "animate",
        prompt: "slow zoom",
        params: JSON.stringify({}),
        image_asset_id: image.id,
        end_frame_asset_id: null,
        reference_video_asset_id: null,
        queue_position: null,
        status_message: null,
        failure_reason: null,
        price_credits: 1,
        idempotency_key: "blob-access-test",
        retry_of: null,
        output_video_key: "video-key-of-a-generation",
        output_poster_key: "poster-key-of-a-generation",
        output_duration_ms: null,
        output_width: null,
        output_height: null,
        output_bytes: null,
        output_sha256: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    expect(await findBlobAccess(database.db, { key: "video-key-of-a-generation" })).toEqual({
      ownerId: alice,
      isPublic: false,
    });
    // Queued: its input photo cannot be deleted yet.
    await expect(hideAsset(database.db, { userId: alice, assetId: image.id })).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "asset_in_use",
    });
    await database.db
      .updateTable("generations")
      .set({ private: false, status: "succeeded" })
      .where("id", "=", id)
      .execute();
    expect((await hideAsset(database.db, { userId: alice, assetId: image.id })).id).toBe(image.id);
    expect(await findBlobAccess(database.db, { key: "poster-key-of-a-generation" })).toEqual({
      ownerId: alice,
      isPublic: true,
    });
    await database.db.updateTable("generations").set({ deleted_at: new Date() }).where("id", "=", id).execute();
    expect(await findBlobAccess(database.db, { key: "video-key-of-a-generation" })).toBeNull();
    expect(await findBlobAccess(database.db, { key: "no-such-key" })).toBeNull();
  });
});

async function listFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}
