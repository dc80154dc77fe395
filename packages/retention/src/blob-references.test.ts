// The unreferenced-blob class removes any stored file no listed column names, so a table that
// stores blob keys and is missing from the list would lose its files a day after writing them.
// Every column of the migrated schema whose name ends in `_key` must be listed one way or the other.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "@animateimg/db";
import { createTestDatabase, type TestDatabase } from "@animateimg/db/testing";
import { notBlobKeyColumns, presentBlobReferenceColumns } from "./classes/blob-references";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe("blob references", () => {
  it("list every column of the schema that could hold a blob key", async () => {
    const { rows } = await sql<{ table: string; column: string }>`
      select table_name as "table", column_name as "column" from information_schema.columns
      where table_schema = current_schema() and column_name like '%\\_key' order by 1, 2`.execute(database.db);
    const classified = [...(await presentBlobReferenceColumns(database.db)), ...notBlobKeyColumns]
      .map(({ table, column }) => `${table}.${column}`)
      .sort();
    expect(rows.map(({ table, column }) => `${table}.${column}`)).toEqual(classified);
  });
});
