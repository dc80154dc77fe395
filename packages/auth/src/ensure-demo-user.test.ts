import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { ensureAdminUser, ensureDemoUser } from "./ensure-demo-user";
import { verifyPassword } from "./password";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

describe("ensureDemoUser", () => {
  it("creates a verified demo user whose stored hash is argon2id, never the password", async () => {
    const result = await ensureDemoUser(database.db, {
      email: "demo@example.test",
      password: "demo-pass-1",
      name: "Demo",
    });
    expect(result.created).toBe(true);
    const row = await database.db.selectFrom("users").selectAll().where("id", "=", result.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.password_hash).not.toContain("demo-pass-1");
    expect(row.email_verified_at).toBeInstanceOf(Date);
    expect(await verifyPassword(row.password_hash!, "demo-pass-1")).toBe(true);
    expect(await verifyPassword(row.password_hash!, "wrong")).toBe(false);
  });

  it("is idempotent and makes the configured password work again", async () => {
    const again = await ensureDemoUser(database.db, {
      email: "DEMO@example.test",
      password: "changed-pass-2",
      name: "Demo",
    });
    expect(again.created).toBe(false);
    const rows = await database.db.selectFrom("users").select(["password_hash"]).execute();
    expect(rows).toHaveLength(1);
    expect(await verifyPassword(rows[0]!.password_hash!, "changed-pass-2")).toBe(true);
  });
});

describe("ensureAdminUser", () => {
  it("creates an admin, and promotes an existing account to admin", async () => {
    const created = await ensureAdminUser(database.db, {
      email: "admin@example.test",
      password: "admin-pass-1",
      name: "Admin",
    });
    const row = await database.db
      .selectFrom("users")
      .select(["role", "email_verified_at"])
      .where("id", "=", created.id)
      .executeTakeFirstOrThrow();
    expect(row.role).toBe("admin");
    expect(row.email_verified_at).toBeInstanceOf(Date);
    const promoted = await ensureAdminUser(database.db, {
      email: "demo@example.test",
      password: "changed-pass-2",
      name: "Demo",
    });
    expect(promoted.created).toBe(false);
    const demo = await database.db
      .selectFrom("users")
      .select("role")
      .where("id", "=", promoted.id)
      .executeTakeFirstOrThrow();
    expect(demo.role).toBe("admin");
  });
});
