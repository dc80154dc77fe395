import type { Kysely } from "kysely";

// Frozen: this file describes the schema as of its date and must not import application code.
// The SHA-256 of a generation's normalized request (model, prompt, parameters with defaults,
// media, privacy, retry-of), so a reused idempotency key can tell "the same request again"
// (answer with the same generation) from "a different request" (refuse with a conflict).
// Rows created before this column have no hash and are treated as the same request.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("generations").addColumn("request_hash", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("generations").dropColumn("request_hash").execute();
}
