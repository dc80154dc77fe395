// Every column that names a blob in storage. The unreferenced-blob class removes any stored
// file (older than its safety age) that none of these name, so a table that stores blob keys
// MUST be listed here, or its files are removed a day after they are written. A test compares
// this list with every column of the schema whose name ends in `_key`.
import { sql, type Db } from "@animateimg/db";

export const blobReferenceColumns: ReadonlyArray<{ table: string; column: string }> = [
  { table: "assets", column: "original_key" },
  { table: "assets", column: "thumbnail_key" },
  { table: "assets", column: "poster_key" },
  { table: "generations", column: "output_video_key" },
  { table: "generations", column: "output_poster_key" },
  // Data export archives (@animateimg/data-export): expired ones are removed by their own class.
  { table: "data_exports", column: "blob_key" },
];

/** Columns ending in `_key` that hold no blob key (so the test can tell a forgotten one). */
export const notBlobKeyColumns: ReadonlyArray<{ table: string; column: string }> = [
  { table: "credit_ledger", column: "idempotency_key" },
  { table: "credit_debts", column: "idempotency_key" },
  { table: "generations", column: "idempotency_key" },
  { table: "provider_webhook_events", column: "delivery_key" },
];

/**
 * The listed columns this database has. A listed table may not exist yet (a deploy whose
 * migration has not run): it then names no blob, and nothing else is skipped.
 */
export async function presentBlobReferenceColumns(db: Db): Promise<Array<{ table: string; column: string }>> {
  const { rows } = await sql<{ table: string; column: string }>`
    select table_name as "table", column_name as "column" from information_schema.columns
    where table_schema = current_schema()`.execute(db);
  const present = new Set(rows.map(({ table, column }) => `${table}.${column}`));
  return blobReferenceColumns.filter(({ table, column }) => present.has(`${table}.${column}`));
}

/** The keys among `keys` that some row names. */
export async function referencedBlobKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const found = new Set<string>();
  for (const { table, column } of await presentBlobReferenceColumns(db)) {
    const rows = await sql<{
      key: string;
    }>`select ${sql.ref(column)} as key from ${sql.table(table)} where ${sql.ref(column)} = any(${[...keys]}::text[])`.execute(
      db,
    );
    for (const row of rows.rows) found.add(row.key);
  }
  return found;
}
