import { sql, type Kysely } from "kysely";

// Frozen: this file describes the schema as of its date and must not import application code.
//
// Removing a generation row for good (the retention sweep's deleted-generations class, account
// deletion) makes Postgres look up what refers to it: ON DELETE SET NULL on
// credit_ledger.generation_id and generations.retry_of. The ledger's generation indexes are
// partial by kind, so neither lookup had an index and each removed row scanned the whole table
// (the ledger grows forever). The sweep also finds deleted rows by when they were deleted.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index credit_ledger_generation_idx on credit_ledger (generation_id) where generation_id is not null`.execute(
    db,
  );
  await sql`create index generations_retry_of_idx on generations (retry_of) where retry_of is not null`.execute(db);
  await sql`create index generations_deleted_at_idx on generations (deleted_at) where deleted_at is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index generations_deleted_at_idx`.execute(db);
  await sql`drop index generations_retry_of_idx`.execute(db);
  await sql`drop index credit_ledger_generation_idx`.execute(db);
}
