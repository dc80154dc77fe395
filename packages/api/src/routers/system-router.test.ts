import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@animateimg/db";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { freePort } from "@animateimg/local-services";
import { startTestWorker, type TestWorker } from "@animateimg/workflows/testing";
import { createSessionResolver } from "../auth/session-resolver";
import { createTrpcFetchHandler } from "../http/trpc-fetch-handler";
import { createCaller } from "../root";
import { createTRPCContext, type AuthSession } from "../trpc";
import { checkSystemHealth } from "../system/check-system-health";
import { createOrchestrator, createTemporalClientSource } from "@animateimg/workflows/orchestrator";

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
  it("reports Postgres, Temporal and the worker healthy through a real workflow round-trip (details for administrators)", async () => {
    const admin: AuthSession = {
      id: "s",
      user: { id: "admin", email: "a@example.test", name: "A", role: "admin", emailVerified: true },
    };
    const caller = createCaller(
      await createTRPCContext({
        deps: {
          db: database.db,
          orchestrator: createOrchestrator({
            client: () => Promise.resolve(worker.client),
            taskQueue: worker.taskQueue,
          }),
          resolveSession: () => Promise.resolve(admin),
        },
        headers: new Headers(),
      }),
    );
    const health = await caller.system.healthDetails();
    expect(health.status).toBe("healthy");
    expect(health.postgres).toMatchObject({ state: "healthy", detail: null });
    expect(health.temporal).toMatchObject({ state: "healthy", detail: null });
    expect(health.worker).toMatchObject({ state: "healthy", identity: "health-test-worker" });
    for (const part of [health.postgres, health.temporal, health.worker]) {
      expect(part.latencyMs).toBeGreaterThanOrEqual(0);
      expect(part.latencyMs).toBeLessThan(5000);
    }
  });

  it("answers the public from one shared cached check: 50 batched calls and 20 callers start one workflow, reveal no host or pid", async () => {
    let checks = 0;
    const orchestrator = createOrchestrator({ client: worker.client, taskQueue: worker.taskQueue });
    const deps = {
      db: database.db,
      // Counts the health workflows started.
      orchestrator: {
        ...orchestrator,
        health: {
          ...orchestrator.health,
          checkWorker: (options: { timeoutMs: number }) => {
            checks++;
            return orchestrator.health.checkWorker(options);
          },
        },
      },
      // A fresh process's cache (a new pool key), so this test counts its own checks.
      healthMaxAgeMs: 60_000,
      resolveSession: createSessionResolver(database.db),
    };
    const ownPool = createDb({ url: database.url, maxConnections: 2 });
    const ownDeps = { ...deps, db: ownPool };
    const handler = createTrpcFetchHandler({
      endpoint: "/api/trpc",
      getDependencies: () => ownDeps,
      allowedOrigins: ["https://app.test"],
    });
    const batch = Array.from({ length: 50 }, () => "system.health").join(",");
    const input = encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [i, {}]))));
    const [batched, ...singles] = await Promise.all([
      handler(
        new Request(`https://app.test/api/trpc/${batch}?batch=1&input=${input}`, { headers: { host: "app.test" } }),
      ),
      ...Array.from({ length: 20 }, () =>
        handler(new Request("https://app.test/api/trpc/system.health", { headers: { host: "app.test" } })),
      ),
    ]);
    expect(batched.status).toBe(200);
    const answers = (await batched.json()) as Array<{ result: { data: { json: Record<string, unknown> } } }>;
    expect(answers).toHaveLength(50);
    for (const response of singles) expect(response.status).toBe(200);
    expect(checks).toBe(1);
    const text = JSON.stringify(answers[0]);
    expect(answers[0]!.result.data.json).toMatchObject({ status: "healthy", worker: { state: "healthy" } });
    expect(text).not.toContain("health-test-worker");
    expect(text).not.toMatch(/identity|detail|pid|@/);
    // Administrators only: the details procedure refuses the public.
    const details = await handler(
      new Request("https://app.test/api/trpc/system.healthDetails", { headers: { host: "app.test" } }),
    );
    expect(details.status).toBe(401);
    await ownPool.destroy();
  });

  it("does not call a worker healthy when its own database is unreachable (every render would fail)", async () => {
    const closedPort = await freePort();
    const unreachable = createDb({ url: `postgres://postgres@127.0.0.1:${closedPort}/nope`, maxConnections: 1 });
    const cutOff = await startTestWorker({ db: unreachable, identity: "cut-off-worker" });
    try {
      const health = await checkSystemHealth({
        db: database.db,
        orchestrator: createOrchestrator({ client: () => Promise.resolve(cutOff.client), taskQueue: cutOff.taskQueue }),
        timeoutMs: 15_000,
      });
      expect(health.postgres.state).toBe("healthy");
      expect(health.worker.state).toBe("unhealthy");
      expect(health.worker.detail).toMatch(/^The worker cannot reach Postgres \(.*(ECONNREFUSED|connect).*\)/);
      expect(health.status).toBe("unhealthy");
    } finally {
      await cutOff.shutdown();
      await unreachable.destroy();
    }
  });

  it("says Temporal refused the connection when nothing listens, instead of 'did not answer'", async () => {
    const closedPort = await freePort();
    const address = `127.0.0.1:${closedPort}`;
    const health = await checkSystemHealth({
      db: database.db,
      orchestrator: createOrchestrator({
        client: () => createTemporalClientSource({ address, namespace: "default", connectTimeoutMs: 500 }).get(),
        taskQueue: worker.taskQueue,
      }),
      temporalAddress: address,
      timeoutMs: 1500,
    });
    expect(health.temporal.state).toBe("unhealthy");
    expect(health.temporal.detail).toBe(
      `Temporal refused the connection at ${address}: nothing is listening there. Is it running?`,
    );
    expect(health.temporal.detail).not.toMatch(/did not answer/);
  });

  it("reports the worker unavailable, within the timeout, when nobody polls the task queue", async () => {
    const health = await checkSystemHealth({
      db: database.db,
      orchestrator: createOrchestrator({
        client: () => Promise.resolve(worker.client),
        taskQueue: "a-queue-no-worker-polls",
      }),
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
      orchestrator: createOrchestrator({
        client: () =>
          createTemporalClientSource({
            address: `127.0.0.1:${closedPort}`,
            namespace: "default",
            connectTimeoutMs: 500,
          }).get(),
        taskQueue: worker.taskQueue,
      }),
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
        orchestrator: createOrchestrator({ client: () => Promise.resolve(worker.client), taskQueue: worker.taskQueue }),
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
