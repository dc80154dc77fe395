import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createCaller } from "../root";
import { createTRPCContext } from "../trpc";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

async function caller(role: "user" | "admin") {
  return createCaller(
    await createTRPCContext({
      deps: {
        db: database.db,
        orchestrator: createOrchestrator({
          client: () => Promise.reject(new Error("not needed")),
          taskQueue: "unused",
        }),
        resolveSession: () =>
          Promise.resolve({
            id: "s",
            user: { id: randomUUID(), email: "a@example.test", name: "A", role, emailVerified: true },
          }),
        generations: { enabledProviders: new Set(["kie", "fal"]) },
      },
      headers: new Headers(),
    }),
  );
}

async function seedAttempts(
  provider: string,
  outcomes: Array<{ outcome: "succeeded" | "failed" | "timed_out"; latencyMs: number; kind?: string }>,
) {
  const { id: userId } = await database.db
    .insertInto("users")
    .values({ email: `${randomUUID()}@example.test`, name: "U" })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const [index, attempt] of outcomes.entries()) {
    const { id: generationId } = await database.db
      .insertInto("generations")
      .values({
        user_id: userId,
        model_id: "kling-3",
        prompt: "",
        params: "{}",
        image_asset_id: randomUUID(),
        price_credits: 50,
        idempotency_key: randomUUID(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const finished = new Date(Date.now() - (outcomes.length - index) * 1000);
    await database.db
      .insertInto("generation_attempts")
      .values({
        generation_id: generationId,
        attempt_no: 1,
        provider,
        outcome: attempt.outcome,
        error_kind: attempt.kind ?? null,
        error_message: attempt.kind ? `${provider} said no` : null,
        latency_ms: attempt.latencyMs,
        finished_at: finished,
      })
      .execute();
  }
}

describe("admin.providerHealth", () => {
  it("reports success rate, latency percentiles, open circuits and recent errors per provider", async () => {
    await seedAttempts(
      "fal",
      Array.from({ length: 10 }, (_, i) => ({ outcome: "succeeded" as const, latencyMs: (i + 1) * 1000 })),
    );
    await seedAttempts("kie", [
      { outcome: "succeeded" as const, latencyMs: 3000 },
      ...Array.from({ length: 6 }, () => ({ outcome: "failed" as const, latencyMs: 200, kind: "transient" })),
      { outcome: "timed_out" as const, latencyMs: 4000 },
      // The user's bad input says nothing about Kie's health.
      { outcome: "failed" as const, latencyMs: 100, kind: "invalid_input" },
    ]);
    const health = await (await caller("admin")).admin.providerHealth({ windowHours: 24 });
    const fal = health.find((h) => h.provider === "fal")!;
    expect(fal).toMatchObject({
      enabled: true,
      attempts: 10,
      succeeded: 10,
      successRate: 1,
      p50LatencyMs: 6000,
      p95LatencyMs: 10000,
    });
    expect(fal.circuit.state).toBe("closed");
    const kie = health.find((h) => h.provider === "kie")!;
    expect(kie.attempts).toBe(9);
    expect(kie.successRate).toBeCloseTo(1 / 8);
    expect(kie.circuit.state).toBe("open");
    expect(kie.recentErrors[0]).toMatchObject({ kind: "invalid_input", message: "kie said no" });
    expect(health.find((h) => h.provider === "replicate")).toMatchObject({
      enabled: false,
      attempts: 0,
      successRate: null,
    });
    expect(health.map((h) => h.label)).toContain("Kling (Kuaishou)");
  });

  it("is for administrators only", async () => {
    await expect((await caller("user")).admin.providerHealth({ windowHours: 24 })).rejects.toSatisfy(
      (e: unknown) => e instanceof TRPCError && e.code === "FORBIDDEN",
    );
  });
});
