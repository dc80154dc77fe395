import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { captureCredits, creditUsage, grantCredits, releaseCredits, reserveCredits } from "./index";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

async function newUser(): Promise<string> {
  const { id } = await database.db
    .insertInto("users")
    .values({ email: `${randomUUID()}@example.test`, name: "Tester" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await grantCredits(database.db, {
    userId: id,
    amount: 500,
    kind: "grant",
    idempotencyKey: `seed:${id}`,
    reason: "test",
  });
  return id;
}

async function newKey(userId: string, name: string): Promise<string> {
  const id = randomUUID().replaceAll("-", "").slice(0, 24);
  await database.db
    .insertInto("api_keys")
    .values({
      id,
      user_id: userId,
      name,
      secret_hash: new Uint8Array(32),
      scopes: ["read", "generate"],
      requests_per_minute: 60,
    })
    .execute();
  return id;
}

/** A generation charged `price` (captured, or released when `refunded`) on `day` (UTC). */
async function spend(
  userId: string,
  options: { price: number; model: string; day: string; apiKeyId?: string; refunded?: boolean },
) {
  const { id } = await database.db
    .insertInto("generations")
    .values({
      user_id: userId,
      model_id: options.model,
      prompt: "",
      params: JSON.stringify({}),
      image_asset_id: randomUUID(),
      price_credits: options.price,
      idempotency_key: randomUUID(),
      api_key_id: options.apiKeyId ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await reserveCredits(database.db, { userId, generationId: id, amount: options.price });
  if (options.refunded) await releaseCredits(database.db, { generationId: id });
  else await captureCredits(database.db, { generationId: id });
  await database.db
    .updateTable("generations")
    .set({ status: options.refunded ? "failed" : "succeeded", finished_at: `${options.day}T12:00:00Z` })
    .where("id", "=", id)
    .execute();
}

describe("credit usage", () => {
  it("adds up captured credits per day (gaps as zeros), per model and per key; refunds and other accounts count nothing", async () => {
    const userId = await newUser();
    const other = await newUser();
    const shop = await newKey(userId, "shop");
    await spend(userId, { price: 2, model: "animate", day: "2026-11-28" });
    await spend(userId, { price: 10, model: "kling-2-1", day: "2026-11-30", apiKeyId: shop });
    await spend(userId, { price: 10, model: "kling-2-1", day: "2026-11-30", apiKeyId: shop });
    await spend(userId, { price: 4, model: "animate", day: "2026-12-02", apiKeyId: shop });
    await spend(userId, { price: 99, model: "animate", day: "2026-12-01", refunded: true });
    await spend(userId, { price: 50, model: "animate", day: "2026-11-01" }); // before the range
    await spend(other, { price: 7, model: "animate", day: "2026-12-01" });

    const usage = await creditUsage(database.db, { userId, days: 7, now: new Date("2026-12-02T20:00:00Z") });
    expect(usage).toMatchObject({ from: "2026-11-26", to: "2026-12-02", total: { credits: 26, generations: 4 } });
    expect(usage.perDay.map((d) => [d.day, d.credits])).toEqual([
      ["2026-11-26", 0],
      ["2026-11-27", 0],
      ["2026-11-28", 2],
      ["2026-11-29", 0],
      ["2026-11-30", 20],
      ["2026-12-01", 0],
      ["2026-12-02", 4],
    ]);
    expect(usage.perModel).toEqual([
      { modelId: "kling-2-1", credits: 20, generations: 2 },
      { modelId: "animate", credits: 6, generations: 2 },
    ]);
    expect(usage.perKey).toEqual([
      { apiKeyId: shop, name: "shop", revoked: false, credits: 24, generations: 3 },
      { apiKeyId: null, name: null, revoked: false, credits: 2, generations: 1 },
    ]);
    expect((await creditUsage(database.db, { userId: await newUser(), days: 30 })).total).toEqual({
      credits: 0,
      generations: 0,
    });
  });
});
