import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExportLinks } from "@animateimg/data-export";
import { seedAccountWithHistory, unzipEntries, type SeededAccount } from "@animateimg/data-export/testing";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { listOutbox } from "@animateimg/email";
import { waitFor } from "@animateimg/local-services";
import {
  createBlobUrlSigner,
  createLocalEncryptedStore,
  type BlobStore,
  type BlobUrlSigner,
} from "@animateimg/storage";
import { startTestWorker, type TestWorker } from "@animateimg/workflows/testing";
import { createCaller } from "../root";
import { createTRPCContext, type ApiDependencies } from "../trpc";
import { createDataExportHttpHandler } from "./data-export-http-handler";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";
import { dataExportWorkflowId } from "@animateimg/workflows/workflow-ids";

const APP = "http://app.test";
let database: TestDatabase;
let worker: TestWorker;
let scratch: string;
let store: BlobStore;
let signer: BlobUrlSigner;
let deps: ApiDependencies;
let alice: SeededAccount;
let bob: SeededAccount;
const names = new Map<string, SeededAccount>();

beforeAll(async () => {
  database = await createTestDatabase();
  scratch = await mkdtemp(path.join(tmpdir(), "data-export-api-"));
  store = createLocalEncryptedStore({ root: scratch, keys: new Map([["k", randomBytes(32)]]), activeKeyId: "k" });
  signer = createBlobUrlSigner({ secret: randomBytes(32) });
  alice = await seedAccountWithHistory(database.db, store, "alice");
  bob = await seedAccountWithHistory(database.db, store, "bob");
  names.set("alice", alice).set("bob", bob);
  worker = await startTestWorker({
    db: database.db,
    deps: { blobStore: store, dataExports: { links: createExportLinks({ signer, appUrl: APP }), appUrl: APP } },
  });
  deps = {
    db: database.db,
    orchestrator: createOrchestrator({ client: () => Promise.resolve(worker.client), taskQueue: worker.taskQueue }),
    // Stands in for the cookie session: the test names the person in a header.
    resolveSession: (headers) => {
      const account = names.get(headers.get("x-test-user") ?? "");
      return Promise.resolve(
        account
          ? {
              id: `session-${account.userId}`,
              user: { id: account.userId, email: account.email, name: "n", role: "user", emailVerified: true },
            }
          : null,
      );
    },
    uploads: { store, signer },
  };
});

afterAll(async () => {
  await worker?.shutdown();
  await database?.drop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const caller = async (who: "alice" | "bob", given: ApiDependencies = deps) =>
  createCaller(await createTRPCContext({ deps: given, headers: new Headers({ "x-test-user": who }) }));
const handler = createDataExportHttpHandler({
  getDependencies: () => deps,
  renderRefusal: (refusal) => `<p>${refusal}</p>`,
});
const download = (target: { exportId: string } | { token: string }, who?: "alice" | "bob") =>
  handler(new Request(`${APP}/download`, { headers: who ? { "x-test-user": who } : {} }), target);

async function failure(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe("dataExport procedures and download routes", () => {
  it("builds Alice's export with visible progress; only she (or her signed link) can download it", async () => {
    const requested = await (await caller("alice")).dataExport.request();
    expect(requested).toMatchObject({ status: "queued", progress: 0, downloadPath: null });

    // One at a time: a second request says so in a sentence, with a code the UI can use.
    const busy = await failure((await caller("alice")).dataExport.request());
    expect(busy.code).toBe("CONFLICT");
    expect(busy.message).toMatch(/already being prepared/);

    const seen: number[] = [];
    const ready = await waitFor("Alice's export to be ready", async () => {
      const latest = await (await caller("alice")).dataExport.latest();
      seen.push(latest!.progress);
      return latest?.status === "ready" ? latest : undefined;
    });
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(ready.progress).toBe(100);
    expect(ready.downloadPath).toBe(`/api/data-exports/${requested.id}/download`);
    expect(ready.expiresAt!.getTime() - ready.finishedAt!.getTime()).toBe(7 * 86_400_000);
    expect(await (await caller("bob")).dataExport.latest()).toBeNull();

    // Her session downloads the ZIP as an attachment.
    const own = await download({ exportId: requested.id }, "alice");
    expect(own.status).toBe(200);
    expect(own.headers.get("content-type")).toBe("application/zip");
    expect(own.headers.get("content-disposition")).toMatch(
      /^attachment; filename\*=UTF-8''animateimg-export-\d{4}-\d\d-\d\d\.zip$/,
    );
    const bytes = Buffer.from(await own.arrayBuffer());
    const files = await unzipEntries(bytes);
    for (const upload of alice.uploads) {
      const name = [...files.keys()].find((n) => n.startsWith(`uploads/${upload.assetId}`));
      expect(files.get(name!)!.equals(upload.bytes)).toBe(true);
    }

    // Bob's session, or none, gets nothing.
    expect((await download({ exportId: requested.id }, "bob")).status).toBe(404);
    expect((await download({ exportId: requested.id })).status).toBe(401);

    // The email's signed link works without a session and serves the same archive.
    // The workflow sends it just after marking the export ready, so wait for it to be there.
    const mail = await waitFor(
      "the export-ready email",
      async () => (await listOutbox(database.db, { to: alice.email }))[0],
    );
    const token = new RegExp(`${APP}/api/data-exports/link/([A-Za-z0-9_.-]+)`).exec(mail.text)![1]!;
    const viaLink = await download({ token });
    expect(viaLink.status).toBe(200);
    expect(Buffer.from(await viaLink.arrayBuffer()).equals(bytes)).toBe(true);
    // A link for a blob (not an export), or a tampered one, is not a download.
    const blobToken = signer.sign({ key: "0".repeat(32), subject: alice.userId }).token;
    expect((await download({ token: blobToken })).status).toBe(404);
    expect((await download({ token: `${token.slice(0, -2)}xx` })).status).toBe(404);

    // Past its window: 410 Gone, by session and by link, and Settings says expired.
    await database.db
      .updateTable("data_exports")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", requested.id)
      .execute();
    const gone = await download({ exportId: requested.id }, "alice");
    expect(gone.status).toBe(410);
    expect(await gone.text()).toBe("<p>expired</p>");
    expect((await download({ token })).status).toBe(410);
    const expiredLink = createExportLinks({ signer, appUrl: APP }).urlFor({
      exportId: requested.id,
      userId: alice.userId,
      expiresAt: new Date(Date.now() + 1000),
      now: new Date(Date.now() - 10_000),
    });
    expect((await download({ token: expiredLink.split("/").pop()! })).status).toBe(410);
    expect(await (await caller("alice")).dataExport.latest()).toMatchObject({ status: "expired", downloadPath: null });
  });

  it("frees the person's slot with a typed error when Temporal cannot start the export", async () => {
    const down: ApiDependencies = {
      ...deps,
      orchestrator: createOrchestrator({
        client: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:7233")),
        taskQueue: worker.taskQueue,
      }),
    };
    const error = await failure((await caller("bob", down)).dataExport.request());
    expect(error.code).toBe("SERVICE_UNAVAILABLE");
    expect(error.message).not.toMatch(/ECONNREFUSED/);
    expect(await (await caller("bob")).dataExport.latest()).toMatchObject({
      status: "failed",
      errorCode: "start_failed",
    });
    const again = await (await caller("bob")).dataExport.request();
    await worker.client.workflow.getHandle(dataExportWorkflowId(again.id)).result();
    expect(await (await caller("bob")).dataExport.latest()).toMatchObject({ id: again.id, status: "ready" });
  });
});
