import type { Kysely } from "kysely";

// Frozen: this file describes the schema as of its date and must not import application code.
//
// generations.status_code + status_params: the generation's status as data (a code such as
// `provider_fallback` and its parameters, e.g. {"from": "kling", "reason": "rate_limited",
// "to": "kie"}), which the web app words in the reader's language. status_message stays: it
// is written beside them in English, for API clients and SQL readers, and rows from before
// this migration keep only it (a null code means "show status_message as it is").
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("generations")
    .addColumn("status_code", "text")
    .addColumn("status_params", "jsonb")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("generations").dropColumn("status_code").dropColumn("status_params").execute();
}
