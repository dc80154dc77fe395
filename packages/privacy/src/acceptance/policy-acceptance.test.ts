import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "@animateimg/core";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { definePrivacyPolicy } from "../policy/privacy-policy";
import { acknowledgePolicy, getPolicyStatus, recordPolicyAcceptance } from "./policy-acceptance";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const v1 = { version: "2026-05-12", effectiveDate: "2026-05-12", changes: { en: ["first"], es: ["primero"] } };
const v2 = { version: "2026-12-02", effectiveDate: "2026-12-02", changes: { en: ["second"], es: ["segundo"] } };
const policyV1 = definePrivacyPolicy({ text: "Policy v1", history: [v1] });
const policyV2 = definePrivacyPolicy({ text: "Policy v2", history: [v2, v1] });

async function newUser(email: string): Promise<string> {
  const row = await database.db
    .insertInto("users")
    .values({ email, name: "Test", password_hash: null, email_verified_at: null })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

describe("policy acceptance", () => {
  it("someone who never accepted a version must acknowledge it and sees every change note", async () => {
    const userId = await newUser("never@example.test");
    const status = await getPolicyStatus(database.db, { userId, policy: policyV2 });
    expect(status).toMatchObject({ currentVersion: "2026-12-02", accepted: null, needsAcknowledgement: true });
    expect(status.changes.map((c) => c.version)).toEqual(["2026-12-02", "2026-05-12"]);
  });

  it("records the version and the first time it was accepted; accepting again keeps that time", async () => {
    const userId = await newUser("twice@example.test");
    const first = new Date("2026-06-01T10:00:00Z");
    await recordPolicyAcceptance(database.db, { userId, version: "2026-05-12", source: "sign_up", now: first });
    const again = await recordPolicyAcceptance(database.db, {
      userId,
      version: "2026-05-12",
      source: "acknowledge",
      now: new Date("2026-07-01T10:00:00Z"),
    });
    expect(again).toEqual({ version: "2026-05-12", acceptedAt: first });
    const status = await getPolicyStatus(database.db, { userId, policy: policyV1 });
    expect(status).toMatchObject({
      needsAcknowledgement: false,
      changes: [],
      accepted: { version: "2026-05-12", acceptedAt: first },
    });
  });

  it("a new version asks for acknowledgement with only what changed since, until acknowledged", async () => {
    const userId = await newUser("newversion@example.test");
    await recordPolicyAcceptance(database.db, { userId, version: "2026-05-12", source: "sign_up" });
    const before = await getPolicyStatus(database.db, { userId, policy: policyV2 });
    expect(before.needsAcknowledgement).toBe(true);
    expect(before.accepted?.version).toBe("2026-05-12");
    expect(before.changes.map((c) => c.changes.en)).toEqual([["second"]]);

    await acknowledgePolicy(database.db, { userId, policy: policyV2, version: "2026-12-02" });
    const after = await getPolicyStatus(database.db, { userId, policy: policyV2 });
    expect(after).toMatchObject({ needsAcknowledgement: false, changes: [], accepted: { version: "2026-12-02" } });
    const rows = await database.db
      .selectFrom("privacy_policy_acceptances")
      .select(["policy_version", "source"])
      .where("user_id", "=", userId)
      .orderBy("accepted_at")
      .execute();
    expect(rows).toEqual([
      { policy_version: "2026-05-12", source: "sign_up" },
      { policy_version: "2026-12-02", source: "acknowledge" },
    ]);
  });

  it("refuses to acknowledge a version that is no longer current, recording nothing", async () => {
    const userId = await newUser("stale@example.test");
    const error = await acknowledgePolicy(database.db, { userId, policy: policyV2, version: "2026-05-12" }).catch(
      (e: unknown) => e,
    );
    expect(isAppError(error) && error.code).toBe("CONFLICT");
    expect(isAppError(error) && error.reason).toBe("policy_version_changed");
    const count = await database.db
      .selectFrom("privacy_policy_acceptances")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("user_id", "=", userId)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it("one person's acceptance says nothing about another's", async () => {
    const a = await newUser("scope-a@example.test");
    const b = await newUser("scope-b@example.test");
    await acknowledgePolicy(database.db, { userId: a, policy: policyV1, version: "2026-05-12" });
    expect((await getPolicyStatus(database.db, { userId: b, policy: policyV1 })).needsAcknowledgement).toBe(true);
  });
});
