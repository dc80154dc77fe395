import { sql, type Kysely } from "kysely";

// Frozen: this file describes the schema as of its date and must not import application code.
// The privacy policy inside the product (issue 12, item 4):
// - which version of the policy each person accepted, and when (at sign-up, or by
//   acknowledging a new version); one row per (person, version), the first acceptance wins;
// - consent to marketing email: no row means no consent (opt-in, off by default);
// - the headers an email was sent with, so the development outbox and tests can see
//   List-Unsubscribe on marketing mail.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("privacy_policy_acceptances")
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("policy_version", "text", (col) => col.notNull())
    .addColumn("accepted_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("source", "text", (col) => col.notNull().check(sql`source in ('sign_up', 'acknowledge')`))
    .addPrimaryKeyConstraint("privacy_policy_acceptances_pkey", ["user_id", "policy_version"])
    .execute();
  await sql`create index privacy_policy_acceptances_latest_idx on privacy_policy_acceptances (user_id, accepted_at desc)`.execute(
    db,
  );

  await db.schema
    .createTable("marketing_email_consents")
    .addColumn("user_id", "uuid", (col) => col.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("opted_in", "boolean", (col) => col.notNull())
    .addColumn("changed_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("changed_via", "text", (col) =>
      col.notNull().check(sql`changed_via in ('settings', 'unsubscribe_link')`),
    )
    .execute();

  await db.schema
    .alterTable("email_outbox")
    .addColumn("headers", "jsonb", (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("email_outbox").dropColumn("headers").execute();
  await db.schema.dropTable("marketing_email_consents").execute();
  await db.schema.dropTable("privacy_policy_acceptances").execute();
}
