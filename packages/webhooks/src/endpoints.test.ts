import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@animateimg/core";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookEndpoints,
  MAX_WEBHOOK_ENDPOINTS,
  updateWebhookEndpoint,
} from "./endpoints";
import type { ResolveHost } from "./url-policy";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const resolve: ResolveHost = (host) =>
  Promise.resolve([{ address: host === "internal.example.com" ? "10.0.0.5" : "93.184.216.34", family: 4 }]);
const options = { policy: { allowLocalHttp: false }, resolve };

async function newUser(): Promise<string> {
  const row = await database.db
    .insertInto("users")
    .values({
      email: `${crypto.randomUUID()}@example.test`,
      name: "Test",
      password_hash: null,
      email_verified_at: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("webhook endpoints", () => {
  it("shows the secret once, then only its start; lists only the owner's", async () => {
    const owner = await newUser();
    const other = await newUser();
    const { endpoint, secret } = await createWebhookEndpoint(
      database.db,
      { userId: owner, url: "https://hooks.example.com/a", events: ["generation.succeeded"] },
      options,
    );
    expect(secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({
      url: "https://hooks.example.com/a",
      events: ["generation.succeeded"],
      enabled: true,
      disabledReason: null,
    });
    expect(endpoint.secretPreview).toBe(`${secret.slice(0, 10)}…`);
    const listed = await listWebhookEndpoints(database.db, { userId: owner });
    expect(listed.map((e) => e.id)).toEqual([endpoint.id]);
    expect(JSON.stringify(listed)).not.toContain(secret.slice(10));
    expect(await listWebhookEndpoints(database.db, { userId: other })).toEqual([]);
  });

  it("answers another account's endpoint as not found, for every operation", async () => {
    const owner = await newUser();
    const other = await newUser();
    const { endpoint } = await createWebhookEndpoint(
      database.db,
      { userId: owner, url: "https://hooks.example.com/b", events: ["generation.failed"] },
      options,
    );
    expect((await refusal(getWebhookEndpoint(database.db, { userId: other, endpointId: endpoint.id }))).code).toBe(
      "NOT_FOUND",
    );
    expect(
      (
        await refusal(
          updateWebhookEndpoint(database.db, { userId: other, endpointId: endpoint.id, enabled: false }, options),
        )
      ).code,
    ).toBe("NOT_FOUND");
    expect((await refusal(deleteWebhookEndpoint(database.db, { userId: other, endpointId: endpoint.id }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await refusal(getWebhookEndpoint(database.db, { userId: owner, endpointId: "not-a-uuid" }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await getWebhookEndpoint(database.db, { userId: owner, endpointId: endpoint.id })).enabled).toBe(true);
  });

  it("refuses private and plain-http URLs and unknown events, with a field error", async () => {
    const owner = await newUser();
    const privateUrl = await refusal(
      createWebhookEndpoint(
        database.db,
        { userId: owner, url: "https://internal.example.com/h", events: ["generation.failed"] },
        options,
      ),
    );
    expect(privateUrl).toMatchObject({ code: "BAD_REQUEST", reason: "webhook_url_private" });
    expect(privateUrl.fieldErrors?.url).toHaveLength(1);
    expect(
      await refusal(
        createWebhookEndpoint(
          database.db,
          { userId: owner, url: "http://hooks.example.com/h", events: ["generation.failed"] },
          options,
        ),
      ),
    ).toMatchObject({
      reason: "invalid_webhook_url",
    });
    expect(
      await refusal(
        createWebhookEndpoint(
          database.db,
          { userId: owner, url: "https://hooks.example.com/h", events: ["generation.started"] },
          options,
        ),
      ),
    ).toMatchObject({
      reason: "invalid_webhook_events",
    });
    const { endpoint } = await createWebhookEndpoint(
      database.db,
      { userId: owner, url: "https://hooks.example.com/h", events: ["generation.failed"] },
      options,
    );
    expect(
      await refusal(
        updateWebhookEndpoint(
          database.db,
          { userId: owner, endpointId: endpoint.id, url: "https://169.254.169.254/latest" },
          options,
        ),
      ),
    ).toMatchObject({
      reason: "webhook_url_private",
    });
  });

  it("disables and re-enables; re-enabling clears a failing disable and the failure run", async () => {
    const owner = await newUser();
    const { endpoint } = await createWebhookEndpoint(
      database.db,
      { userId: owner, url: "https://hooks.example.com/c", events: ["generation.canceled"] },
      options,
    );
    const off = await updateWebhookEndpoint(
      database.db,
      { userId: owner, endpointId: endpoint.id, enabled: false },
      options,
    );
    expect(off).toMatchObject({ enabled: false, disabledReason: "owner" });
    await database.db
      .updateTable("webhook_endpoints")
      .set({ disabled_reason: "failing", failing_since: new Date(Date.now() - 4 * 86400_000) })
      .where("id", "=", endpoint.id)
      .execute();
    const on = await updateWebhookEndpoint(
      database.db,
      {
        userId: owner,
        endpointId: endpoint.id,
        enabled: true,
        events: ["generation.succeeded", "generation.canceled"],
      },
      options,
    );
    expect(on).toMatchObject({
      enabled: true,
      disabledReason: null,
      failingSince: null,
      events: ["generation.succeeded", "generation.canceled"],
    });
    await deleteWebhookEndpoint(database.db, { userId: owner, endpointId: endpoint.id });
    expect(await listWebhookEndpoints(database.db, { userId: owner })).toEqual([]);
  });

  it("holds an account to its endpoint limit", async () => {
    const owner = await newUser();
    for (let i = 0; i < MAX_WEBHOOK_ENDPOINTS; i++) {
      await createWebhookEndpoint(
        database.db,
        { userId: owner, url: `https://hooks.example.com/${i}`, events: ["generation.succeeded"] },
        options,
      );
    }
    expect(
      await refusal(
        createWebhookEndpoint(
          database.db,
          { userId: owner, url: "https://hooks.example.com/x", events: ["generation.succeeded"] },
          options,
        ),
      ),
    ).toMatchObject({
      code: "CONFLICT",
    });
  });
});
