import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { authenticateApiKey, createApiKey, listApiKeys, revokeApiKey } from "./api-keys";
import { ensureDemoUser } from "./ensure-demo-user";
import { sha256Bytes } from "./random-token";

let database: TestDatabase;
let userId: string;
let strangerId: string;
beforeAll(async () => {
  database = await createTestDatabase();
  ({ id: userId } = await ensureDemoUser(database.db, {
    email: "k@example.test",
    password: "api-key-pass-1",
    name: "K",
  }));
  ({ id: strangerId } = await ensureDemoUser(database.db, {
    email: "x@example.test",
    password: "api-key-pass-2",
    name: "X",
  }));
});
afterAll(() => database?.drop());

describe("API keys", () => {
  it("returns the token once and stores only the secret's SHA-256", async () => {
    const { token, key } = await createApiKey(database.db, {
      userId,
      name: " CI ",
      scopes: ["read", "generate", "read"],
    });
    expect(token).toMatch(/^aimg_[a-z2-7]{24}_[a-z2-7]{24}$/);
    expect(key).toMatchObject({
      name: "CI",
      scopes: ["read", "generate"],
      preview: `aimg_${key.id}_…`,
      lastUsedAt: null,
    });
    const row = await database.db.selectFrom("api_keys").selectAll().where("id", "=", key.id).executeTakeFirstOrThrow();
    const secret = token.split("_")[2]!;
    expect(Buffer.from(row.secret_hash)).toEqual(Buffer.from(sha256Bytes(secret)));
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(JSON.stringify(await listApiKeys(database.db, { userId }))).not.toContain(secret);
  });

  it("authenticates the exact token, records last use at most once a minute, and refuses after revoke", async () => {
    const { token, key } = await createApiKey(database.db, { userId, name: "script", scopes: ["read"] });
    const t0 = new Date("2026-12-01T10:00:00Z");
    const auth = await authenticateApiKey(database.db, { token, now: t0 });
    expect(auth).toMatchObject({ keyId: key.id, scopes: ["read"], requestsPerMinute: 60, user: { id: userId } });
    await authenticateApiKey(database.db, { token, now: new Date(t0.getTime() + 30_000) });
    expect((await listApiKeys(database.db, { userId })).find((k) => k.id === key.id)?.lastUsedAt).toEqual(t0);

    const tampered = token.slice(0, -1) + (token.endsWith("a") ? "b" : "a");
    expect(await authenticateApiKey(database.db, { token: tampered })).toBeNull();
    expect(await authenticateApiKey(database.db, { token: `${token}x` })).toBeNull();
    expect(await authenticateApiKey(database.db, { token: "Bearer nonsense" })).toBeNull();

    await expect(revokeApiKey(database.db, { userId: strangerId, keyId: key.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await authenticateApiKey(database.db, { token })).not.toBeNull();
    await revokeApiKey(database.db, { userId, keyId: key.id });
    expect(await authenticateApiKey(database.db, { token })).toBeNull();
    expect((await listApiKeys(database.db, { userId })).find((k) => k.id === key.id)?.revokedAt).toBeInstanceOf(Date);
  });

  it("refuses a key without a name or without scopes", async () => {
    await expect(createApiKey(database.db, { userId, name: "  ", scopes: ["read"] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(createApiKey(database.db, { userId, name: "x", scopes: [] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
