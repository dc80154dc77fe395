import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./testing";
import { migrateToLatest, rollbackOne } from "./migrate";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

describe("2026_12_03_0600_user_locale", () => {
  it("gives every account English unless told otherwise, and refuses a language emails are not written in", async () => {
    const user = await database.db
      .insertInto("users")
      .values({ email: "locale@example.test", name: "L", password_hash: null, email_verified_at: null })
      .returning(["id", "locale"])
      .executeTakeFirstOrThrow();
    expect(user.locale).toBe("en");
    await database.db.updateTable("users").set({ locale: "es" }).where("id", "=", user.id).execute();
    await expect(sql`update users set locale = 'fr' where id = ${user.id}`.execute(database.db)).rejects.toThrow(
      /check constraint/,
    );
  });

  it("rolls back and applies again", async () => {
    expect(await rollbackOne(database.db)).toEqual(["rolled back 2026_12_03_0600_user_locale"]);
    const columns = await sql<{
      column_name: string;
    }>`select column_name from information_schema.columns where table_name = 'users'`.execute(database.db);
    expect(columns.rows.map((row) => row.column_name)).not.toContain("locale");
    expect(await migrateToLatest(database.db)).toEqual(["applied 2026_12_03_0600_user_locale"]);
    const row = await database.db
      .selectFrom("users")
      .select("locale")
      .where("email", "=", "locale@example.test")
      .executeTakeFirstOrThrow();
    expect(row.locale).toBe("en");
  });
});
