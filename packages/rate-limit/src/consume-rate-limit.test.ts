import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@animateimg/core";
import { createDb } from "@animateimg/db";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { consumeRateLimit, deleteExpiredRateLimits, resetRateLimit } from "./consume-rate-limit";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const rule = { key: "test:ip:203.0.113.7", windowSeconds: 60, max: 3 };

describe("consumeRateLimit", () => {
  it("allows max attempts per window, then refuses with the seconds left, then recovers", async () => {
    const start = new Date("2026-11-29T10:00:00Z");
    for (let i = 1; i <= 3; i++) {
      const state = await consumeRateLimit(database.db, { ...rule, now: new Date(start.getTime() + i * 1000) });
      expect(state.remaining).toBe(3 - i);
    }
    const refused = await consumeRateLimit(database.db, { ...rule, now: new Date(start.getTime() + 20_000) }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: "TOO_MANY_REQUESTS", retryAfterSeconds: 41 });
    expect((refused as AppError).message).toMatch(/try again in 41 seconds/);

    // The window started at the first attempt (start + 1 s) and ends 60 s later.
    const recovered = await consumeRateLimit(database.db, { ...rule, now: new Date(start.getTime() + 61_000) });
    expect(recovered).toMatchObject({ count: 1, remaining: 2 });
  });

  it("holds across separate connection pools (as across processes)", async () => {
    const other = createDb({ url: database.url, maxConnections: 2 });
    try {
      const key = { key: "test:shared", windowSeconds: 600, max: 4 };
      const attempts = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => consumeRateLimit(i % 2 === 0 ? database.db : other, key)),
      );
      expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(4);
      expect(attempts.filter((a) => a.status === "rejected")).toHaveLength(6);
    } finally {
      await other.destroy();
    }
  });

  it("keeps keys apart, can be reset, and expired rows can be swept", async () => {
    const now = new Date("2026-11-29T12:00:00Z");
    await consumeRateLimit(database.db, { key: "a", windowSeconds: 10, max: 1, now });
    await expect(consumeRateLimit(database.db, { key: "a", windowSeconds: 10, max: 1, now })).rejects.toThrow(
      /Too many attempts/,
    );
    await consumeRateLimit(database.db, { key: "b", windowSeconds: 10, max: 1, now });
    await resetRateLimit(database.db, { key: "a" });
    await consumeRateLimit(database.db, { key: "a", windowSeconds: 10, max: 1, now });
    const swept = await deleteExpiredRateLimits(database.db, { now: new Date("2030-01-01T00:00:00Z") });
    expect(swept).toBeGreaterThanOrEqual(2);
  });
});
