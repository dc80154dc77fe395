import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import {
  createBlobUrlSigner,
  createLocalEncryptedStore,
  type BlobStore,
  type BlobUrlSigner,
} from "@animateimg/storage";
import { deleteAssetWorkflowId } from "@animateimg/workflows/workflow-ids";
import { startTestWorker, type TestWorker } from "@animateimg/workflows/testing";
import { createCaller } from "../root";
import { createTRPCContext, type ApiDependencies, type AuthSession } from "../trpc";
import { createBlobHttpHandler } from "./blob-http-handler";
import { createUploadHttpHandler } from "./upload-http-handler";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";

const APP = "http://app.test";
let database: TestDatabase;
let worker: TestWorker;
let scratch: string;
let store: BlobStore;
let signer: BlobUrlSigner;
let deps: ApiDependencies;
const users: Record<"alice" | "bob", AuthSession["user"]> = {} as never;

beforeAll(async () => {
  database = await createTestDatabase();
  scratch = await mkdtemp(path.join(tmpdir(), "upload-api-"));
  store = createLocalEncryptedStore({
    root: path.join(scratch, "blobs"),
    keys: new Map([["k", randomBytes(32)]]),
    activeKeyId: "k",
  });
  signer = createBlobUrlSigner({ secret: randomBytes(32) });
  for (const name of ["alice", "bob"] as const) {
    const { id } = await database.db
      .insertInto("users")
      .values({ email: `${name}@example.test`, name, password_hash: null, email_verified_at: new Date() })
      .returning("id")
      .executeTakeFirstOrThrow();
    users[name] = { id, email: `${name}@example.test`, name, role: "user", emailVerified: true };
  }
  worker = await startTestWorker({ db: database.db, deps: { blobStore: store } });
  deps = {
    db: database.db,
    orchestrator: createOrchestrator({ client: () => Promise.resolve(worker.client), taskQueue: worker.taskQueue }),
    // Stands in for the cookie session: the test names the user in a header.
    resolveSession: (headers) => {
      const name = headers.get("x-test-user") as "alice" | "bob" | null;
      return Promise.resolve(name ? { id: `session-${name}`, user: users[name] } : null);
    },
    uploads: {
      store,
      signer,
      scratchDir: scratch,
      photoLimits: { maxBytes: 2 * 1024 * 1024, maxPixels: 40_000_000, maxSide: 12_000, minSide: 32 },
    },
  };
});

afterAll(async () => {
  await worker?.shutdown();
  await database?.drop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const uploadHandler = () => createUploadHttpHandler({ getDependencies: () => deps, allowedOrigins: [APP] });
const blobHandler = () => createBlobHttpHandler({ getDependencies: () => deps });

function post(body: NonNullable<RequestInit["body"]>, headers: Record<string, string> = {}, query = "") {
  return uploadHandler()(
    new Request(`${APP}/api/uploads${query}`, {
      method: "POST",
      body,
      headers: { origin: APP, "x-test-user": "alice", ...headers },
    }),
  );
}

function getBlob(url: string, headers: Record<string, string> = {}, method = "GET") {
  const token = url.split("/").pop()!;
  return blobHandler()(new Request(`${APP}${url}`, { method, headers: { "x-test-user": "alice", ...headers } }), token);
}

const jpeg = () =>
  sharp({ create: { width: 320, height: 200, channels: 3, background: { r: 30, g: 120, b: 90 } } })
    .jpeg()
    .toBuffer();

interface UploadedJson {
  asset: {
    id: string;
    name: string;
    kind: string;
    width: number;
    height: number;
    urls: { original: string; thumbnail: string };
  };
}

const caller = async (user: "alice" | "bob" | null) =>
  createCaller(await createTRPCContext({ deps, headers: new Headers(user ? { "x-test-user": user } : {}) }));

describe("POST /api/uploads", () => {
  it("stores a raw-body upload and answers with signed URLs", async () => {
    const response = await post(await jpeg(), {
      "content-type": "application/octet-stream",
      "x-file-name": encodeURIComponent("../beach day.jpg"),
    });
    expect(response.status).toBe(201);
    const { asset } = (await response.json()) as UploadedJson;
    expect(asset).toMatchObject({ kind: "image", width: 320, height: 200, name: "beach day.jpg" });
    expect(asset.urls.original).toMatch(/^\/api\/blobs\/[\w-]+\.[\w-]+$/);
  });

  it("accepts multipart/form-data with a file field", async () => {
    const form = new FormData();
    form.append("file", new File([await jpeg()], "portrait.jpg", { type: "image/jpeg" }));
    const response = await post(form);
    expect(response.status).toBe(201);
    expect(((await response.json()) as UploadedJson).asset.name).toBe("portrait.jpg");
  });

  it("refuses the signed-out, other sites, oversize bodies and bad content with a clear message", async () => {
    const signedOut = await uploadHandler()(
      new Request(`${APP}/api/uploads`, { method: "POST", body: await jpeg(), headers: { origin: APP } }),
    );
    expect(signedOut.status).toBe(401);
    expect(await post(await jpeg(), { origin: "https://evil.test" })).toHaveProperty("status", 403);

    // 2 MB photo limit, 100 MB overall: a declared 200 MB body is refused before reading it.
    const declared = await post(new Uint8Array(10), { "content-length": String(200 * 1024 * 1024) });
    expect(declared.status).toBe(413);
    // A streamed body without a length is cut off at the cap.
    const huge = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(Uint8Array.from([0xff, 0xd8, 0xff]));
        for (let i = 0; i < 101; i += 1) controller.enqueue(new Uint8Array(1024 * 1024));
        controller.close();
      },
    });
    const streamed = await uploadHandler()(
      new Request(`${APP}/api/uploads`, {
        method: "POST",
        body: huge,
        headers: { origin: APP, "x-test-user": "alice" },
        duplex: "half",
      }),
    );
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({
      error: { code: "PAYLOAD_TOO_LARGE", message: expect.stringMatching(/at most 100 MB/) as string },
    });

    const overPhoto = await post(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(3 * 1024 * 1024)]));
    expect(overPhoto.status).toBe(413);
    expect(await overPhoto.json()).toMatchObject({
      error: { message: "Photos may be at most 2 MB; this one is 3 MB.", reason: "photo_too_large" },
    });

    const svg = await post(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'));
    expect(svg.status).toBe(415);
    expect(await svg.json()).toMatchObject({ error: { reason: "svg_refused" } });

    const empty = await post(new Uint8Array(0));
    expect(empty.status).toBe(400);
    expect(await (await post(await jpeg(), {}, "?model=no-such-model")).json()).toMatchObject({
      error: { reason: "unknown_model" },
    });
    const video = await post(await jpeg(), {}, "?kind=video&model=motion-control");
    expect(await video.json()).toMatchObject({ error: { reason: "wrong_kind" } });
  });
});

describe("upload rate limit", () => {
  it("refuses a user past the hourly budget, with Retry-After", async () => {
    const limited = createUploadHttpHandler({
      getDependencies: () => ({ ...deps, uploads: { ...deps.uploads!, maxUploadsPerHour: 1 } }),
      allowedOrigins: [APP],
    });
    const send = async () =>
      limited(
        new Request(`${APP}/api/uploads`, {
          method: "POST",
          body: await jpeg(),
          headers: { origin: APP, "x-test-user": "bob" },
        }),
      );
    expect((await send()).status).toBe(201);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({
      error: {
        reason: "too_many_uploads",
        message: expect.stringMatching(/^You have uploaded a lot in the last hour/) as string,
      },
    });
    // Bob's budget is his own: Alice still uploads.
    expect((await post(await jpeg())).status).toBe(201);
  });
});

describe("GET /api/blobs/{token}", () => {
  let asset: UploadedJson["asset"];
  let original: Buffer;

  beforeAll(async () => {
    asset = ((await (await post(await jpeg())).json()) as UploadedJson).asset;
    original = Buffer.from(await (await getBlob(asset.urls.original)).arrayBuffer());
  });

  it("serves the owner the stored (re-encoded) bytes with safe headers", async () => {
    const response = await getBlob(asset.urls.original);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/jpeg");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("accept-ranges")).toBe("bytes");
    expect(Number(response.headers.get("content-length"))).toBe(original.length);
    expect((await sharp(original).metadata()).width).toBe(320);
  });

  it("answers Range requests with exactly those bytes", async () => {
    const middle = await getBlob(asset.urls.original, { range: "bytes=100-199" });
    expect(middle.status).toBe(206);
    expect(middle.headers.get("content-range")).toBe(`bytes 100-199/${original.length}`);
    expect(Buffer.from(await middle.arrayBuffer()).equals(original.subarray(100, 200))).toBe(true);
    const suffix = await getBlob(asset.urls.original, { range: "bytes=-10" });
    expect(Buffer.from(await suffix.arrayBuffer()).equals(original.subarray(original.length - 10))).toBe(true);
    const open = await getBlob(asset.urls.original, { range: `bytes=${original.length - 5}-` });
    expect(Buffer.from(await open.arrayBuffer()).equals(original.subarray(original.length - 5))).toBe(true);
    const outside = await getBlob(asset.urls.original, { range: `bytes=${original.length}-` });
    expect(outside.status).toBe(416);
    expect(outside.headers.get("content-range")).toBe(`bytes */${original.length}`);
    const head = await getBlob(asset.urls.original, {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(original.length));
  });

  it("refuses an expired token, a tampered one, another user and the signed-out", async () => {
    const key = signer.verify(asset.urls.original.split("/").pop()!);
    expect(key.ok).toBe(true);
    const grant = key.ok ? key.grant : null;
    const expired = signer.sign(
      { key: grant!.key, subject: users.alice.id },
      { now: new Date(Date.now() - 3600_000), ttlSeconds: 60 },
    );
    const expiredResponse = await getBlob(`/api/blobs/${expired.token}`);
    expect(expiredResponse.status).toBe(403);
    expect(await expiredResponse.json()).toMatchObject({ error: { reason: "link_expired" } });

    const [payload, mac] = asset.urls.original.split("/").pop()!.split(".") as [string, string];
    const forgedPayload = Buffer.from(JSON.stringify({ k: grant!.key, s: users.bob.id, e: 9_999_999_999 })).toString(
      "base64url",
    );
    expect((await getBlob(`/api/blobs/${forgedPayload}.${mac}`, { "x-test-user": "bob" })).status).toBe(403);
    expect((await getBlob(`/api/blobs/${payload}.${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}`)).status).toBe(
      403,
    );

    const otherUser = await getBlob(asset.urls.original, { "x-test-user": "bob" });
    expect(otherUser.status).toBe(403);
    expect(await otherUser.json()).toMatchObject({ error: { reason: "link_other_user" } });
    const signedOut = await blobHandler()(
      new Request(`${APP}${asset.urls.original}`),
      asset.urls.original.split("/").pop()!,
    );
    expect(signedOut.status).toBe(403);

    // A token for a public subject works only for blobs that are public (none of an upload's).
    const publicToken = signer.sign({ key: grant!.key, subject: "public" });
    expect((await getBlob(`/api/blobs/${publicToken.token}`)).status).toBe(404);
  });
});

describe("upload.* procedures", () => {
  it("lists and reads only the caller's uploads", async () => {
    const mine = ((await (await post(await jpeg())).json()) as UploadedJson).asset;
    const alice = await caller("alice");
    const bob = await caller("bob");
    const list = await alice.upload.list({});
    expect(list.items.map((item) => item.id)).toContain(mine.id);
    expect((await bob.upload.list({})).items.map((item) => item.id)).not.toContain(mine.id);
    const byId = await alice.upload.byId({ id: mine.id });
    expect(byId).toMatchObject({ id: mine.id, kind: "image", width: 320, height: 200 });
    expect((await getBlob(byId.urls.thumbnail)).status).toBe(200);
    await expect(bob.upload.byId({ id: mine.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(bob.upload.delete({ id: mine.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect((await caller(null)).upload.list({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("pages with a cursor", async () => {
    await post(await jpeg());
    const alice = await caller("alice");
    const first = await alice.upload.list({ limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = await alice.upload.list({ limit: 1, cursor: first.nextCursor! });
    expect(second.items[0]!.id).not.toBe(first.items[0]!.id);
  });

  it("deletes: the URLs stop working at once, and the workflow removes the blobs", async () => {
    const asset = ((await (await post(await jpeg())).json()) as UploadedJson).asset;
    const token = asset.urls.original.split("/").pop()!;
    const verified = signer.verify(token);
    const key = verified.ok ? verified.grant.key : "";
    expect(await store.exists(key)).toBe(true);

    const alice = await caller("alice");
    expect(await alice.upload.delete({ id: asset.id })).toEqual({ id: asset.id, deleted: true });
    expect((await getBlob(asset.urls.original)).status).toBe(404);
    expect((await getBlob(asset.urls.thumbnail)).status).toBe(404);
    await expect(alice.upload.byId({ id: asset.id })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const result = (await worker.client.workflow.getHandle(deleteAssetWorkflowId(asset.id)).result()) as {
      deletedKeys: string[];
    };
    expect(result.deletedKeys).toContain(key);
    expect(await store.exists(key)).toBe(false);
    const row = await database.db
      .selectFrom("assets")
      .select(["deleted_at", "blobs_deleted_at"])
      .where("id", "=", asset.id)
      .executeTakeFirstOrThrow();
    expect(row.deleted_at).not.toBeNull();
    expect(row.blobs_deleted_at).not.toBeNull();
    await expect(alice.upload.delete({ id: asset.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
