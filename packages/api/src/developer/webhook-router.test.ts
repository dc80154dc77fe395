// Settings → Webhooks and Usage through tRPC: everything scoped to the signed-in account,
// typed errors with a sentence (a private URL is a BAD_REQUEST naming the field).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { createFundedUser } from "@animateimg/workflows/testing/generation-fixtures";
import { createCaller } from "../root";
import { createTRPCContext, type AuthSession } from "../trpc";
import { createOrchestrator } from "@animateimg/workflows/orchestrator";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

async function callerFor(userId: string, allowLocalHttp = false) {
  const session: AuthSession = {
    id: `session-${userId}`,
    user: { id: userId, email: `${userId}@example.test`, name: "Dev", role: "user", emailVerified: true },
  };
  return createCaller(
    await createTRPCContext({
      deps: {
        db: database.db,
        orchestrator: createOrchestrator({ client: () => Promise.reject(new Error("not used")), taskQueue: "unused" }),
        resolveSession: () => Promise.resolve(session),
        webhooks: { policy: { allowLocalHttp } },
      },
      headers: new Headers(),
    }),
  );
}

async function failure(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe("webhook procedures", () => {
  it("create, list, update, delete — the owner's only; others get NOT_FOUND", async () => {
    const owner = await callerFor(await createFundedUser(database.db, 0), true);
    const stranger = await callerFor(await createFundedUser(database.db, 0), true);
    const { secret, endpoint } = await owner.webhook.create({
      url: "http://127.0.0.1:9/hook",
      events: ["generation.failed"],
    });
    expect(secret).toMatch(/^whsec_/);
    expect((await owner.webhook.list()).map((e) => e.id)).toEqual([endpoint.id]);
    expect(await stranger.webhook.list()).toEqual([]);
    expect((await failure(stranger.webhook.deliveries({ endpointId: endpoint.id }))).code).toBe("NOT_FOUND");
    expect((await failure(stranger.webhook.update({ endpointId: endpoint.id, enabled: false }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await failure(stranger.webhook.delete({ endpointId: endpoint.id }))).code).toBe("NOT_FOUND");
    expect(await owner.webhook.deliveries({ endpointId: endpoint.id })).toEqual([]);
    expect(await owner.webhook.update({ endpointId: endpoint.id, enabled: false })).toMatchObject({
      enabled: false,
      disabledReason: "owner",
    });
    expect(await owner.webhook.delete({ endpointId: endpoint.id })).toEqual({ deleted: true });
  });

  it("refuses loopback http without the dev setting, and private addresses always", async () => {
    const caller = await callerFor(await createFundedUser(database.db, 0));
    const loopback = await failure(
      caller.webhook.create({ url: "http://127.0.0.1:9/hook", events: ["generation.succeeded"] }),
    );
    expect(loopback.code).toBe("BAD_REQUEST");
    expect(loopback.message).toMatch(/https/);
    const metadata = await failure(
      caller.webhook.create({ url: "https://169.254.169.254/", events: ["generation.succeeded"] }),
    );
    expect(metadata.message).toMatch(/private, loopback or link-local/);
  });

  it("reports usage for the caller only (empty for a new account, every day present)", async () => {
    const caller = await callerFor(await createFundedUser(database.db, 10));
    const usage = await caller.webhook.usage({ days: 7 });
    expect(usage.total).toEqual({ credits: 0, generations: 0 });
    expect(usage.perDay).toHaveLength(7);
    expect(usage.perModel).toEqual([]);
  });
});
