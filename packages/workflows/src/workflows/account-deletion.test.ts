// Account deletion end to end on the real Temporal dev server, a real worker and Postgres: the
// workflow waits out the grace period on a durable timer, a cancel ends it with nothing
// erased, and once it runs nothing of the person is left but the anonymous accounting rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cancelAccountDeletion,
  getAccountDeletionStatus,
  requestAccountDeletion,
  requestChildAccountDeletion,
  type AccountDeletionSettings,
} from "@animateimg/account-deletion";
import { rowsMentioning, seedFullAccount } from "@animateimg/account-deletion/testing";
import { ledgerViolations } from "@animateimg/billing/testing";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { ensureFakeVideo, startFakeProviders, type FakeProviders } from "@animateimg/provider-fakes";
import { createProviderRegistry } from "@animateimg/providers";
import { fakeRegistryConfig, submitRequestFor } from "@animateimg/providers/testing";
import { createOrchestrator, type Orchestrator } from "../orchestrator";
import { type AccountDeletionResult } from "../shared";
import { accountDeletionWorkflowId } from "../workflow-ids";
import { createTestBlobStore, startTestWorker, type TestWorker } from "../testing";

let database: TestDatabase;
let worker: TestWorker;
const blobStore = createTestBlobStore();
let scheduler: Orchestrator["accountErasure"];

const week: AccountDeletionSettings = { gracePeriodMs: 7 * 24 * 3600_000, reauthenticationWindowMs: 600_000 };
const twoSeconds: AccountDeletionSettings = { gracePeriodMs: 2000, reauthenticationWindowMs: 600_000 };

beforeAll(async () => {
  database = await createTestDatabase();
  // Batches of one row: a deletion of two generations and two uploads takes several batches.
  worker = await startTestWorker({ db: database.db, deps: { blobStore, erasureBatchSize: 1 } });
  scheduler = createOrchestrator({ client: worker.client, taskQueue: worker.taskQueue }).accountErasure;
});
afterAll(async () => {
  await worker?.shutdown();
  await database?.drop();
});

const sessionExists = async (id: string) =>
  (await database.db.selectFrom("sessions").select("id").where("id", "=", id).executeTakeFirst()) !== undefined;
const handleOf = (userId: string) => worker.client.workflow.getHandle(accountDeletionWorkflowId(userId));
const resultOf = (userId: string) => handleOf(userId).result() as Promise<AccountDeletionResult>;

describe("account deletion workflow", () => {
  it("a deletion canceled during the grace period ends its workflow and erases nothing", async () => {
    const alice = await seedFullAccount(database.db, { store: blobStore, email: "changed-my-mind@example.test" });
    await requestAccountDeletion(
      database.db,
      { scheduler },
      { userId: alice.id, sessionId: alice.sessionId, password: alice.password ?? "", settings: week },
    );
    // The workflow is waiting on its durable timer (started, not finished).
    expect((await handleOf(alice.id).describe()).status.name).toBe("RUNNING");

    await cancelAccountDeletion(database.db, { scheduler }, { userId: alice.id });
    expect(await resultOf(alice.id)).toEqual({ outcome: "canceled" });
    expect((await getAccountDeletionStatus(database.db, { userId: alice.id, sessionId: alice.sessionId })).state).toBe(
      "none",
    );
    for (const key of alice.blobKeys) expect(await blobStore.exists(key)).toBe(true);
    expect(await sessionExists(alice.sessionId)).toBe(true);

    // Asking again later starts a new run under the same id.
    await requestAccountDeletion(
      database.db,
      { scheduler },
      { userId: alice.id, sessionId: alice.sessionId, password: alice.password ?? "", settings: week },
    );
    expect((await handleOf(alice.id).describe()).status.name).toBe("RUNNING");
    await cancelAccountDeletion(database.db, { scheduler }, { userId: alice.id });
    expect(await resultOf(alice.id)).toEqual({ outcome: "canceled" });
  });

  it("after the grace period nothing of the person remains but anonymous accounting rows; others are untouched", async () => {
    const alice = await seedFullAccount(database.db, { store: blobStore, email: "leaving@example.test" });
    const bob = await seedFullAccount(database.db, { store: blobStore, email: "staying@example.test" });
    await requestAccountDeletion(
      database.db,
      { scheduler },
      { userId: alice.id, sessionId: alice.sessionId, password: alice.password ?? "", settings: twoSeconds },
    );

    const result = await resultOf(alice.id);
    expect(result).toEqual({
      outcome: "erased",
      generations: 2,
      uploads: 2,
      blobs: 8,
      subscriptionsCanceled: 0,
      // The test worker has no fal credentials: its copy is recorded as one we could not delete.
      providerCopies: { deleted: 0, not_supported: 1, failed: 0 },
      outboxRows: 1,
      rateLimitKeys: 3,
    });
    expect(await rowsMentioning(database.db, [alice.id, alice.email])).toEqual([]);
    for (const key of alice.blobKeys) expect(await blobStore.exists(key)).toBe(false);
    const ledger = await database.db
      .selectFrom("credit_ledger")
      .select(["user_id"])
      .where("id", "in", alice.ledgerIds)
      .execute();
    expect(ledger).toHaveLength(alice.ledgerIds.length);
    expect(ledger.every((row) => row.user_id === null)).toBe(true);
    const copies = await database.db
      .selectFrom("provider_copy_deletions")
      .select(["provider", "outcome", "detail"])
      .where("provider_job_id", "in", alice.providerJobIds)
      .execute();
    expect(copies).toEqual([{ provider: "fal", outcome: "not_supported", detail: "provider_not_configured" }]);

    for (const key of bob.blobKeys) expect(await blobStore.exists(key)).toBe(true);
    expect(await sessionExists(bob.sessionId)).toBe(true);
    expect(
      await database.db.selectFrom("generations").select("id").where("user_id", "=", bob.id).execute(),
    ).toHaveLength(2);
    expect(await ledgerViolations(database.db)).toEqual([]);
  });

  it("an administrator's child report erases at once, even while a grace period was running", async () => {
    const admin = await database.db
      .insertInto("users")
      .values({
        email: "admin@example.test",
        name: "Admin",
        password_hash: null,
        email_verified_at: new Date(),
        role: "admin",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const child = await seedFullAccount(database.db, { store: blobStore, email: "eleven-years-old@example.test" });
    await requestAccountDeletion(
      database.db,
      { scheduler },
      { userId: child.id, sessionId: child.sessionId, password: child.password ?? "", settings: week },
    );
    expect((await handleOf(child.id).describe()).status.name).toBe("RUNNING");

    await requestChildAccountDeletion(database.db, { scheduler }, { adminUserId: admin.id, email: child.email });
    expect(await resultOf(child.id)).toMatchObject({ outcome: "erased", generations: 2, uploads: 2 });
    expect(await rowsMentioning(database.db, [child.id, child.email])).toEqual([]);
    for (const key of child.blobKeys) expect(await blobStore.exists(key)).toBe(false);
  });
});

describe("account deletion and the providers' copies", () => {
  let fakes: FakeProviders;
  let providerWorker: TestWorker;
  let providerScheduler: Orchestrator["accountErasure"];

  beforeAll(async () => {
    fakes = await startFakeProviders({ videoPath: await ensureFakeVideo() });
    const config = fakeRegistryConfig(fakes, 8000);
    // fal can delete a request's data; Kie has no API for it.
    providerWorker = await startTestWorker({
      db: database.db,
      deps: {
        blobStore,
        providers: createProviderRegistry({ timeoutMs: config.timeoutMs, fal: config.fal, kie: config.kie }),
      },
    });
    providerScheduler = createOrchestrator({
      client: providerWorker.client,
      taskQueue: providerWorker.taskQueue,
    }).accountErasure;
  });
  afterAll(async () => {
    await providerWorker?.shutdown();
    await fakes?.stop();
  });

  it("privacy: a deleted account's jobs are deleted at the provider where its API allows it, and recorded where it does not", async () => {
    // A finished fal request holding the person's prompt, photo and video.
    const fal = createProviderRegistry(fakeRegistryConfig(fakes)).get("fal")!;
    const { providerJobId: falJob } = await fal.submit(submitRequestFor(fakes, "kling-3", { durationSeconds: 5 }));
    fakes.control.completeJob("fal", falJob);
    const falOutput = `${fakes.origin}/outputs/${fakes.control.jobs("fal").find((job) => job.id === falJob)!.outputId}.mp4`;
    expect((await fetch(falOutput)).status).toBe(200);

    const carol = await seedFullAccount(database.db, { store: blobStore, email: "provider-copies@example.test" });
    const [falGeneration, localGeneration] = carol.generationIds as [string, string];
    // Her first generation ran at fal (and once more at fal, a request fal no longer has); her
    // second at Kie.
    await database.db
      .updateTable("generation_attempts")
      .set({ provider_job_id: falJob })
      .where("generation_id", "=", falGeneration)
      .execute();
    const goneAtFal = "00000000-0000-4000-8000-0000000000aa";
    await database.db
      .insertInto("generation_attempts")
      .values({
        generation_id: falGeneration,
        attempt_no: 2,
        provider: "fal",
        provider_job_id: goneAtFal,
        outcome: "succeeded",
      })
      .execute();
    await database.db
      .updateTable("generation_attempts")
      .set({ provider: "kie", provider_job_id: "kie-task-of-carol" })
      .where("generation_id", "=", localGeneration)
      .execute();

    await requestAccountDeletion(
      database.db,
      { scheduler: providerScheduler },
      { userId: carol.id, sessionId: carol.sessionId, password: carol.password ?? "", settings: twoSeconds },
    );
    const result = (await providerWorker.client.workflow
      .getHandle(accountDeletionWorkflowId(carol.id))
      .result()) as AccountDeletionResult;
    expect(result).toMatchObject({ outcome: "erased", providerCopies: { deleted: 2, not_supported: 1, failed: 0 } });

    // fal was asked to delete both of its requests; the one it had is gone, output file included.
    const deletes = fakes.requests
      .filter((r) => r.provider === "fal" && r.method === "DELETE")
      .map((r) => r.path)
      .sort();
    expect(deletes).toEqual(
      [`/fal/v1/models/requests/${falJob}/payloads`, `/fal/v1/models/requests/${goneAtFal}/payloads`].sort(),
    );
    expect((await fetch(falOutput)).status).toBe(404);
    expect(fakes.control.jobs("fal").find((job) => job.id === falJob)?.input).toBeNull();

    const copies = await database.db
      .selectFrom("provider_copy_deletions")
      .select(["provider", "provider_job_id", "outcome", "detail"])
      .where("provider_job_id", "in", [falJob, goneAtFal, "kie-task-of-carol"])
      .execute();
    const byJob = (a: { provider_job_id: string }, b: { provider_job_id: string }) =>
      a.provider_job_id < b.provider_job_id ? -1 : 1;
    expect(copies.sort(byJob)).toEqual(
      [
        { provider: "fal", provider_job_id: falJob, outcome: "deleted", detail: null },
        { provider: "fal", provider_job_id: goneAtFal, outcome: "deleted", detail: "not_found" },
        { provider: "kie", provider_job_id: "kie-task-of-carol", outcome: "not_supported", detail: "no_delete_api" },
      ].sort(byJob),
    );
    expect(await rowsMentioning(database.db, [carol.id, carol.email])).toEqual([]);
  });
});
