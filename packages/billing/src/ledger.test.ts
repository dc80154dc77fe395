import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@animateimg/core";
import { sql } from "@animateimg/db";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import {
  adjustCredits,
  captureCredits,
  getBalance,
  grantCredits,
  listLedger,
  releaseCredits,
  reserveCredits,
} from "./index";
import { ledgerViolations } from "./testing";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  expect(await ledgerViolations(database.db)).toEqual([]);
});
afterAll(() => database?.drop());

async function newUser(credits = 0): Promise<string> {
  const { id } = await database.db
    .insertInto("users")
    .values({ email: `${randomUUID()}@example.test`, name: "Tester" })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (credits > 0)
    await grantCredits(database.db, {
      userId: id,
      amount: credits,
      kind: "grant",
      idempotencyKey: `seed:${id}`,
      reason: "test",
    });
  return id;
}

async function newGeneration(userId: string, price = 5): Promise<string> {
  const { id } = await database.db
    .insertInto("generations")
    .values({
      user_id: userId,
      model_id: "animate",
      prompt: "",
      params: JSON.stringify({}),
      image_asset_id: randomUUID(),
      price_credits: price,
      idempotency_key: randomUUID(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

describe("credit ledger", () => {
  it("keeps the balance equal to the sum of the ledger through grant, reserve, capture and release", async () => {
    const userId = await newUser(100);
    const [a, b] = [await newGeneration(userId), await newGeneration(userId)];
    await reserveCredits(database.db, { userId, generationId: a, amount: 30 });
    await reserveCredits(database.db, { userId, generationId: b, amount: 20 });
    expect(await getBalance(database.db, userId)).toBe(50);
    expect(await captureCredits(database.db, { generationId: a })).toBe("captured");
    expect(await releaseCredits(database.db, { generationId: b })).toBe("released");
    expect(await getBalance(database.db, userId)).toBe(70);
    const kinds = (await listLedger(database.db, { userId })).map((e) => `${e.kind}:${e.amount}`);
    expect(kinds).toEqual(["release:20", "capture:0", "reserve:-20", "reserve:-30", "grant:100"]);
  });

  it("refuses a reservation larger than the balance and charges nothing", async () => {
    const userId = await newUser(10);
    const generationId = await newGeneration(userId);
    const attempt = reserveCredits(database.db, { userId, generationId, amount: 11 });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: "PAYMENT_REQUIRED", reason: "insufficient_credits" });
    expect(await getBalance(database.db, userId)).toBe(10);
    expect(await listLedger(database.db, { userId })).toHaveLength(1);
  });

  it("never overdraws under concurrent reservations (enforced by the database)", async () => {
    const userId = await newUser(10);
    const generations = await Promise.all(Array.from({ length: 12 }, () => newGeneration(userId)));
    const results = await Promise.allSettled(
      generations.map((generationId) => reserveCredits(database.db, { userId, generationId, amount: 3 })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    for (const r of results.filter((r) => r.status === "rejected")) {
      expect(r.reason).toMatchObject({ reason: "insufficient_credits" });
    }
    expect(await getBalance(database.db, userId)).toBe(1);
  });

  it("reserves once per generation however often it is asked", async () => {
    const userId = await newUser(50);
    const generationId = await newGeneration(userId);
    const results = await Promise.all(
      [1, 2, 3].map(() => reserveCredits(database.db, { userId, generationId, amount: 7 })),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await getBalance(database.db, userId)).toBe(43);
  });

  it("settles a reservation exactly once, even when capture and release race", async () => {
    const userId = await newUser(50);
    const generationId = await newGeneration(userId);
    await reserveCredits(database.db, { userId, generationId, amount: 10 });
    const outcomes = await Promise.all([
      captureCredits(database.db, { generationId }),
      releaseCredits(database.db, { generationId }),
      captureCredits(database.db, { generationId }),
      releaseCredits(database.db, { generationId }),
    ]);
    expect(new Set(outcomes).size).toBe(1);
    const balance = await getBalance(database.db, userId);
    expect(balance).toBe(outcomes[0] === "captured" ? 40 : 50);
    // A later opposite request does not undo it.
    expect(await releaseCredits(database.db, { generationId })).toBe(outcomes[0]);
    expect(await getBalance(database.db, userId)).toBe(balance);
  });

  it("has nothing to release for a generation that never reserved", async () => {
    const userId = await newUser(5);
    expect(await releaseCredits(database.db, { generationId: await newGeneration(userId) })).toBe("nothing_reserved");
  });

  it("is append-only", async () => {
    const userId = await newUser(5);
    await expect(
      sql`update credit_ledger set amount = 1000 where user_id = ${userId}`.execute(database.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from credit_ledger where user_id = ${userId}`.execute(database.db)).rejects.toThrow(
      /append-only/,
    );
  });

  it("lets an admin adjust with a reason, but not below zero", async () => {
    const userId = await newUser(5);
    const admin = await newUser();
    await adjustCredits(database.db, {
      userId,
      amount: -3,
      reason: "duplicate grant",
      actorUserId: admin,
      idempotencyKey: "adj-1",
    });
    expect(await getBalance(database.db, userId)).toBe(2);
    await expect(
      adjustCredits(database.db, {
        userId,
        amount: -3,
        reason: "too much",
        actorUserId: admin,
        idempotencyKey: "adj-2",
      }),
    ).rejects.toMatchObject({ code: "PAYMENT_REQUIRED" });
    await expect(
      adjustCredits(database.db, { userId, amount: 3, reason: "", actorUserId: admin, idempotencyKey: "adj-3" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("refuses an idempotency key reused for a different entry", async () => {
    const userId = await newUser();
    await grantCredits(database.db, { userId, amount: 5, kind: "grant", idempotencyKey: "same", reason: "a" });
    await expect(
      grantCredits(database.db, { userId, amount: 6, kind: "grant", idempotencyKey: "same", reason: "b" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });

  it("never goes negative while many reservations are reserved, captured and released at once on one balance", async () => {
    const amount = 3;
    const userId = await newUser(amount * 10);
    const generations = await Promise.all(Array.from({ length: 60 }, () => newGeneration(userId, amount)));
    let refused = 0;
    let captured = 0;
    await Promise.all(
      generations.map(async (generationId, index) => {
        try {
          await reserveCredits(database.db, { userId, generationId, amount });
        } catch (error) {
          expect(error).toMatchObject({ code: "PAYMENT_REQUIRED", reason: "insufficient_credits" });
          refused += 1;
          return;
        }
        if (index % 2 === 0) {
          expect(await captureCredits(database.db, { generationId })).toBe("captured");
          captured += 1;
        } else {
          expect(await releaseCredits(database.db, { generationId })).toBe("released");
        }
      }),
    );
    // Captures spend for good: at most 10 fit in 30 credits, so at least 20 of the 30 that
    // would capture met the CHECK instead (a real overdraft race, refused by the database).
    expect(captured).toBeLessThanOrEqual(10);
    expect(refused).toBeGreaterThanOrEqual(20);
    expect(await getBalance(database.db, userId)).toBe(amount * 10 - captured * amount);
    const reserved = await sql<{
      n: number;
    }>`select count(*)::int as n from credit_ledger where user_id = ${userId} and kind = 'reserve'`.execute(
      database.db,
    );
    expect(reserved.rows[0]!.n).toBe(60 - refused);
  });

  it("answers a replayed reserve, capture or release with what the first one did, and moves credits once", async () => {
    const userId = await newUser(20);
    const [a, b] = [await newGeneration(userId), await newGeneration(userId)];
    const reserves = await Promise.all(
      Array.from({ length: 5 }, () => reserveCredits(database.db, { userId, generationId: a, amount: 6 })),
    );
    expect(reserves.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(reserves.map((r) => r.entry.id)).size).toBe(1);
    await reserveCredits(database.db, { userId, generationId: b, amount: 6 });
    expect(await getBalance(database.db, userId)).toBe(8);

    expect(
      await Promise.all(Array.from({ length: 5 }, () => captureCredits(database.db, { generationId: a }))),
    ).toEqual(Array(5).fill("captured"));
    expect(
      await Promise.all(Array.from({ length: 5 }, () => releaseCredits(database.db, { generationId: b }))),
    ).toEqual(Array(5).fill("released"));
    expect(await getBalance(database.db, userId)).toBe(14);
    // A reserve replayed after its settlement takes nothing again.
    expect(await reserveCredits(database.db, { userId, generationId: b, amount: 6 })).toMatchObject({ created: false });
    expect(await getBalance(database.db, userId)).toBe(14);
    const kinds = (await listLedger(database.db, { userId })).map((e) => `${e.kind}:${e.amount}`).sort();
    expect(kinds).toEqual(["capture:0", "grant:20", "release:6", "reserve:-6", "reserve:-6"]);
    // The same generation's reservation asked for again with another price is a conflict, not a second charge.
    await expect(reserveCredits(database.db, { userId, generationId: a, amount: 7 })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });

  it("refuses a new reservation while the account owes credits, and still answers one already made", async () => {
    const userId = await newUser(30);
    const [made, fresh] = [await newGeneration(userId), await newGeneration(userId)];
    await reserveCredits(database.db, { userId, generationId: made, amount: 5 });
    await database.db
      .insertInto("credit_debts")
      .values({ user_id: userId, amount: 4, idempotency_key: `debt:${userId}` })
      .execute();
    await expect(reserveCredits(database.db, { userId, generationId: fresh, amount: 5 })).rejects.toMatchObject({
      code: "PAYMENT_REQUIRED",
      reason: "credits_owed",
    });
    expect(await reserveCredits(database.db, { userId, generationId: made, amount: 5 })).toMatchObject({
      created: false,
    });
    expect(await releaseCredits(database.db, { generationId: made })).toBe("released");
    expect(await getBalance(database.db, userId)).toBe(30);
  });
});
