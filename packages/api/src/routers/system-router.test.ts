import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, Connection } from "@temporalio/client";
import { createDb } from "@animateimg/db";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { freePort } from "@animateimg/local-services";
import { startTestWorker, type TestWorker } from "@animateimg/workflows/testing";
import { createCaller } from "../root";
import { createTRPCContext } from "../trpc";
import { checkSystemHealth } from "../system/check-system-health";

let database: TestDatabase;
let worker: TestWorker;

beforeAll(async () => {
  database = await createTestDatabase();
  worker = await startTestWorker({ db: database.db, identity: "health-test-worker" });
});

afterAll(async () => {
  await worker?.shutdown();
  await database?.drop();
});

describe("system.health", () => {
  it("reports Postgres, Temporal and the worker healthy through a real workflow round-trip", async () => {
    const caller = createCaller(
      await createTRPCContext({
        deps: {
          db: database.db,
          getTemporalClient: () => Promise.resolve(worker.client),
          taskQueue: worker.taskQueue,
          resolveSession: () => Promise.resolve(null),
        },
        headers: new Headers(),
      }),
    );
    const health = await caller.system.health();
    expect(health.status).toBe("healthy");
    expect(health.postgres).toMatchObject({ state: "healthy", detail: null });
    expect(health.temporal).toMatchObject({ state: "healthy", detail: null });
    expect(health.worker).toMatchObject({ state: "healthy", identity: "health-test-worker" });
    for (const part of [health.postgres, health.temporal, health.worker]) {
      expect(part.latencyMs).toBeGreaterThanOrEqual(0);
      expect(part.latencyMs).toBeLessThan(5000);
    }
  });

  it("reports the worker unavailable, within the timeout, when nobody polls the task queue", async () => {
    const health = await checkSystemHealth({
      db: database.db,
      getTemporalClient: () => Promise.resolve(worker.client),
      taskQueue: "a-queue-no-worker-polls",
      timeoutMs: 1500,
    });
    expect(health.status).toBe("unhealthy");
    expect(health.postgres.state).toBe("healthy");
    expect(health.temporal.state).toBe("healthy");
    expect(health.worker.state).toBe("unhealthy");
    expect(health.worker.detail).toMatch(/a-queue-no-worker-polls.*did not answer within 1500 ms|timed out/i);
    expect(health.worker.latencyMs).toBeLessThan(5000);
  });

  it("reports Temporal down without hiding a healthy Postgres", async () => {
    const closedPort = await freePort();
    const health = await checkSystemHealth({
      db: database.db,
      getTemporalClient: async () =>
        new Client({ connection: await Connection.connect({ address: `127.0.0.1:${closedPort}`, connectTimeout: 500 }) }),
      taskQueue: worker.taskQueue,
      timeoutMs: 1500,
    });
    expect(health.postgres.state).toBe("healthy");
    expect(health.temporal.state).toBe("unhealthy");
    expect(health.temporal.detail).toBeTruthy();
    expect(health.worker).toMatchObject({ state: "unhealthy", identity: null });
  });

  it("reports Postgres down with the reason", async () => {
    const closedPort = await freePort();
    const unreachable = createDb({ url: `postgres://postgres@127.0.0.1:${closedPort}/nope`, maxConnections: 1 });
    try {
      const health = await checkSystemHealth({
        db: unreachable,
        getTemporalClient: () => Promise.resolve(worker.client),
        taskQueue: worker.taskQueue,
        timeoutMs: 1500,
      });
      expect(health.status).toBe("unhealthy");
      expect(health.postgres.state).toBe("unhealthy");
      expect(health.postgres.detail).toMatch(/ECONNREFUSED|connect/i);
      expect(health.temporal.state).toBe("healthy");
      expect(health.worker.state).toBe("healthy");
    } finally {
      await unreachable.destroy();
    }
  });
});
