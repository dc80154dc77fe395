import { sql, type Kysely } from "kysely";

// Frozen: this file describes the schema as of its date and must not import application code.
//
// users.locale: the language emails to the person are written in ('en' or 'es'), set from the
// web app's language at sign-up and whenever the person switches language. Existing accounts
// keep English, which is what they have been receiving.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("users")
    .addColumn("locale", "text", (col) =>
      col
        .notNull()
        .defaultTo("en")
        .check(sql`locale in ('en', 'es')`),
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("users").dropColumn("locale").execute();
}
