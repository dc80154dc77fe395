/**
 * The privacy policy's deletion promises ("request full account deletion", "if you believe a
 * child has provided us with personal information … we will delete it"), checked end to end on
 * a real Postgres, the real Temporal dev server and a real worker running the deletion workflow.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cancelAccountDeletion,
  getAccountDeletionStatus,
  requestAccountDeletion,
  requestChildAccountDeletion,
  type AccountDeletionSettings,
} from "@animateimg/account-deletion";
import { liveUserReferenceColumns, rowsMentioning, seedFullAccount } from "@animateimg/account-deletion/testing";
import { userReferenceInventory } from "@animateimg/account-deletion";
import { signInWithPassword } from "@animateimg/auth";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createMailer } from "@animateimg/email";
import { createOrchestrator, type Orchestrator } from "@animateimg/workflows/orchestrator";
import { accountDeletionWorkflowId } from "@animateimg/workflows/workflow-ids";
import { createTestBlobStore, startTestWorker, type TestWorker } from "@animateimg/workflows/testing";

let database: TestDatabase;
let worker: TestWorker;
const store = createTestBlobStore();
let scheduler: Orchestrator["accountErasure"];
const week: AccountDeletionSettings = { gracePeriodMs: 7 * 24 * 3600_000, reauthenticationWindowMs: 600_000 };
const oneSecond: AccountDeletionSettings = { gracePeriodMs: 1000, reauthenticationWindowMs: 600_000 };

beforeAll(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker({ db: database.db, deps: { blobStore: store } });
  scheduler = createOrchestrator({ client: worker.client, taskQueue: worker.taskQueue }).accountErasure;
});
afterAll(async () => {
  await worker?.shutdown();
  await database?.drop();
});

const finished = (userId: string) => worker.client.workflow.getHandle(accountDeletionWorkflowId(userId)).result();
const signIn = (email: string, password: string) =>
  signInWithPassword(database.db, {
    email,
    password,
    request: { ip: "198.51.100.4", userAgent: null },
    mailer: createMailer({ db: database.db, from: "x@app.test" }),
    appUrl: "https://app.test",
  });

describe("privacy: deletion", () => {
  it("privacy: a person can delete their account, and afterwards nothing that identifies them remains (only anonymous accounting rows)", async () => {
    const person = await seedFullAccount(database.db, { store, email: "delete-me@example.test" });
    const other = await seedFullAccount(database.db, { store, email: "someone-else@example.test" });
    await requestAccountDeletion(
      database.db,
      { scheduler },
      { userId: person.id, sessionId: person.sessionId, password: person.password ?? "", settings: oneSecond },
    );
    expect(await finished(person.id)).toMatchObject({ outcome: "erased" });

    expect(await rowsMentioning(database.db, [person.id, person.email])).toEqual([]);
    for (const key of person.blobKeys) expect(await store.exists(key)).toBe(false);
    const accounting = await database.db
      .selectFrom("credit_ledger")
      .select("user_id")
      .where("id", "in", person.ledgerIds)
      .execute();
    expect(accounting.length).toBe(person.ledgerIds.length);
    expect(accounting.every((row) => row.user_id === null)).toBe(true);
    await expect(signIn(person.email, person.password ?? "")).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    for (const key of other.blobKeys) expect(await store.exists(key)).toBe(true);
  });

  it("privacy: every table that can hold a person is covered by account deletion", async () => {
    const handled = new Set(Object.keys(userReferenceInventory));
    const live = await liveUserReferenceColumns(database.db);
    expect(live.filter((column) => !handled.has(column))).toEqual([]);
    expect(live).toEqual(expect.arrayContaining(["credit_ledger.user_id", "generations.user_id", "sessions.user_id"]));
  });

  it("privacy: deleting an account needs the password (or a fresh sign-in), and can be canceled during the grace period, which signing in offers", async () => {
    const person = await seedFullAccount(database.db, { store, email: "second-thoughts@example.test" });
    await expect(
      requestAccountDeletion(
        database.db,
        { scheduler },
        { userId: person.id, sessionId: person.sessionId, password: "not it", settings: week },
      ),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", reason: "wrong_password" });
    await requestAccountDeletion(
      database.db,
      { scheduler },
      { userId: person.id, sessionId: person.sessionId, password: person.password ?? "", settings: week },
    );

    // Signing in during the grace period works, and the session sees the scheduled deletion
    // (the web app shows it with a Cancel button on every page).
    const { session } = await signIn(person.email, person.password ?? "");
    const status = await getAccountDeletionStatus(database.db, { userId: person.id, sessionId: session.id });
    expect(status.state).toBe("scheduled");

    await cancelAccountDeletion(database.db, { scheduler }, { userId: person.id });
    expect(await finished(person.id)).toEqual({ outcome: "canceled" });
    expect(await rowsMentioning(database.db, [person.email])).not.toEqual([]);
    for (const key of person.blobKeys) expect(await store.exists(key)).toBe(true);
  });

  it("privacy: an account reported as belonging to a child under 13 is deleted at once by an administrator", async () => {
    const admin = await database.db
      .insertInto("users")
      .values({
        email: "privacy-admin@example.test",
        name: "Admin",
        password_hash: null,
        email_verified_at: new Date(),
        role: "admin",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const child = await seedFullAccount(database.db, { store, email: "child@example.test" });
    await requestChildAccountDeletion(database.db, { scheduler }, { adminUserId: admin.id, email: child.email });
    expect(await finished(child.id)).toMatchObject({ outcome: "erased" });
    expect(await rowsMentioning(database.db, [child.id, child.email])).toEqual([]);
    for (const key of child.blobKeys) expect(await store.exists(key)).toBe(false);
  });
});
