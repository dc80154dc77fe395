import { sql, type Kysely } from "kysely";

// Frozen: this file describes the schema as of its date and must not import application code.
//
// credit_debts.reason: why a debt row exists, so a dispute the merchant wins can give back
// exactly what that dispute took (its reversal rows and the debt it raised) and nothing a
// refund took. refund | dispute: raised because the credits were already spent;
// settles_owed: paid off by a later purchase; dispute_won: cancelled by a won dispute.
// Rows from before this migration keep a null reason (they are refund, dispute or settlement
// rows; the code that reads reasons treats null like before).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("credit_debts")
    .addColumn("reason", "text", (col) =>
      col.check(sql`reason in ('refund', 'dispute', 'settles_owed', 'dispute_won')`),
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("credit_debts").dropColumn("reason").execute();
}
