import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { grantSignupCredits } from "@animateimg/billing";
import { ledgerViolations } from "@animateimg/billing/testing";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createMailer } from "@animateimg/email";
import { createCaller } from "../root";
import { createTRPCContext, type AuthSession } from "../trpc";
import { PEER_ADDRESS_HEADER } from "@animateimg/auth";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  expect(await ledgerViolations(database.db)).toEqual([]);
  await database?.drop();
});

async function newUser(role: "user" | "admin" = "user") {
  return database.db
    .insertInto("users")
    .values({ email: `${randomUUID()}@example.test`, name: "U", role, email_verified_at: new Date() })
    .returning(["id", "email"])
    .executeTakeFirstOrThrow();
}

async function callerFor(user: { id: string; email: string }, role: "user" | "admin" = "user") {
  const session: AuthSession = {
    id: "s",
    user: { id: user.id, email: user.email, name: "U", role, emailVerified: true },
  };
  return createCaller(
    await createTRPCContext({
      deps: {
        db: database.db,
        orchestrator: createOrchestrator({
          client: () => Promise.reject(new Error("not needed")),
          taskQueue: "unused",
        }),
        resolveSession: () => Promise.resolve(session),
      },
      headers: new Headers(),
    }),
  );
}

describe("billing and admin credits", () => {
  it("gives a new account its welcome credits when it signs up", async () => {
    const appUrl = "http://localhost:3000";
    const caller = createCaller(
      await createTRPCContext({
        deps: {
          db: database.db,
          orchestrator: createOrchestrator({
            client: () => Promise.reject(new Error("not needed")),
            taskQueue: "unused",
          }),
          resolveSession: () => Promise.resolve(null),
          accounts: {
            mailer: createMailer({ db: database.db, from: "t@example.test" }),
            appUrl,
            secureCookies: false,
            oauth: { appUrl },
            welcomeCredits: 20,
          },
        },
        headers: new Headers({ [PEER_ADDRESS_HEADER]: "203.0.113.9" }),
      }),
    );
    const { userId } = await caller.auth.signUp({
      email: `${randomUUID()}@example.test`,
      password: "a-long-unusual-passphrase-7",
      name: "New",
      ageConfirmed: true,
    });
    const ledger = await database.db
      .selectFrom("credit_ledger")
      .select(["kind", "amount", "reason"])
      .where("user_id", "=", userId)
      .execute();
    expect(ledger).toEqual([{ kind: "grant", amount: 20, reason: "Welcome credits" }]);
  });

  it("gives welcome credits once, and shows the balance and ledger to their owner only", async () => {
    const user = await newUser();
    await grantSignupCredits(database.db, { userId: user.id, amount: 25 });
    await grantSignupCredits(database.db, { userId: user.id, amount: 25 });
    const caller = await callerFor(user);
    expect(await caller.billing.balance()).toEqual({ credits: 25, owed: 0 });
    expect(await caller.billing.ledger({ limit: 10 })).toEqual([
      expect.objectContaining({ kind: "grant", amount: 25, reason: "Welcome credits" }),
    ]);
    const other = await callerFor(await newUser());
    expect(await other.billing.ledger({ limit: 10 })).toEqual([]);
  });

  it("lets an admin grant and adjust with a reason, once per form submission", async () => {
    const admin = await callerFor(await newUser("admin"), "admin");
    const user = await newUser();
    const key = randomUUID();
    expect(
      await admin.admin.grantCredits({ email: user.email, amount: 40, reason: "support refund", idempotencyKey: key }),
    ).toEqual({ balance: 40 });
    expect(
      await admin.admin.grantCredits({ email: user.email, amount: 40, reason: "support refund", idempotencyKey: key }),
    ).toEqual({ balance: 40 });
    expect(
      await admin.admin.adjustCredits({
        email: user.email,
        amount: -15,
        reason: "duplicate",
        idempotencyKey: randomUUID(),
      }),
    ).toEqual({
      balance: 25,
    });
    await expect(
      admin.admin.adjustCredits({ email: user.email, amount: -100, reason: "too much", idempotencyKey: randomUUID() }),
    ).rejects.toMatchObject({
      code: "PAYMENT_REQUIRED",
    });
    await expect(
      admin.admin.grantCredits({
        email: "nobody@example.test",
        amount: 5,
        reason: "x y z",
        idempotencyKey: randomUUID(),
      }),
    ).rejects.toThrow("No account uses nobody@example.test.");
  });

  it("refuses credit changes from non-admins", async () => {
    const user = await newUser();
    const caller = await callerFor(user);
    await expect(
      caller.admin.grantCredits({
        email: user.email,
        amount: 1000,
        reason: "free money",
        idempotencyKey: randomUUID(),
      }),
    ).rejects.toSatisfy((e: unknown) => e instanceof TRPCError && e.code === "FORBIDDEN");
  });
});
