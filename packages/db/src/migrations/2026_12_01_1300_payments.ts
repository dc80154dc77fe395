import { sql, type Kysely } from "kysely";

// Frozen: this file describes the schema as of its date and must not import application code.
//
// Payments (issue 13). Money enters the ledger as `purchase` rows that carry the processor,
// its reference (payment intent, invoice or Creem order), the amount, the currency and the
// plan, and nothing else about the payment (the privacy policy promises exactly that).
// A refund or dispute takes purchased credits back with a `reversal` row; what was already
// spent becomes a debt (credit_debts), kept beside the balance as `owed`, so the balance
// itself never goes below zero (its CHECK stays).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table credit_ledger drop constraint credit_ledger_kind_check`.execute(db);
  await sql`alter table credit_ledger add constraint credit_ledger_kind_check
    check (kind in ('grant', 'purchase', 'reserve', 'capture', 'release', 'refund', 'adjust', 'reversal'))`.execute(db);
  await sql`alter table credit_ledger drop constraint credit_ledger_amount_sign`.execute(db);
  await sql`alter table credit_ledger add constraint credit_ledger_amount_sign check (
    (kind in ('grant', 'purchase', 'release', 'refund') and amount > 0)
    or (kind in ('reserve', 'reversal') and amount < 0)
    or (kind = 'capture' and amount = 0)
    or (kind = 'adjust' and amount <> 0))`.execute(db);

  await db.schema
    .alterTable("credit_ledger")
    .addColumn("payment_processor", "text", (col) => col.check(sql`payment_processor in ('stripe', 'creem')`))
    .addColumn("payment_reference", "text")
    .addColumn("payment_amount", "bigint", (col) => col.check(sql`payment_amount >= 0`))
    .addColumn("payment_currency", "text", (col) => col.check(sql`payment_currency ~ '^[a-z]{3}$'`))
    .addColumn("payment_plan", "text")
    .execute();
  // A purchase always says which payment it came from; a reversal names the payment it undoes.
  await sql`alter table credit_ledger add constraint credit_ledger_payment_fields check (
    (kind not in ('purchase', 'reversal') or (payment_processor is not null and payment_reference is not null))
    and (kind <> 'purchase' or (payment_amount is not null and payment_currency is not null and payment_plan is not null)))`.execute(
    db,
  );
  await sql`create index credit_ledger_payment_reference on credit_ledger (payment_processor, payment_reference) where payment_reference is not null`.execute(
    db,
  );

  // What a refund or dispute could not take back because it was already spent. `owed` on the
  // balance row is their sum; paid work is refused while it is above zero.
  await db.schema
    .createTable("credit_debts")
    .addColumn("id", "bigserial", (col) => col.primaryKey())
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    // Positive: credits now owed; negative: owed credits settled.
    .addColumn("amount", "bigint", (col) => col.notNull().check(sql`amount <> 0`))
    .addColumn("idempotency_key", "text", (col) => col.notNull().unique())
    .addColumn("payment_processor", "text")
    .addColumn("payment_reference", "text")
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("credit_debts_user").on("credit_debts").columns(["user_id", "id"]).execute();
  await db.schema
    .alterTable("credit_balances")
    .addColumn("owed", "bigint", (col) => col.notNull().defaultTo(0))
    .execute();
  await sql`alter table credit_balances add constraint credit_balances_owed_not_negative check (owed >= 0)`.execute(db);
  await sql`
    create function credit_debts_apply() returns trigger language plpgsql as $$
    begin
      insert into credit_balances (user_id, available) values (new.user_id, 0) on conflict (user_id) do nothing;
      update credit_balances set owed = owed + new.amount, updated_at = now() where user_id = new.user_id;
      return new;
    end $$`.execute(db);
  await sql`create trigger credit_debts_apply after insert on credit_debts for each row execute function credit_debts_apply()`.execute(
    db,
  );
  await sql`create trigger credit_debts_append_only before update or delete on credit_debts for each row execute function credit_ledger_append_only()`.execute(
    db,
  );
  // The live balance chip: every balance change wakes the listeners of that user.
  await sql`
    create function credit_balances_notify() returns trigger language plpgsql as $$
    begin
      perform pg_notify('credit_balance', json_build_object('userId', new.user_id)::text);
      return new;
    end $$`.execute(db);
  await sql`create trigger credit_balances_notify after insert or update on credit_balances for each row execute function credit_balances_notify()`.execute(
    db,
  );

  // One customer per user and processor; only the processor's id is kept.
  await db.schema
    .createTable("payment_customers")
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("processor", "text", (col) => col.notNull())
    .addColumn("customer_id", "text", (col) => col.notNull())
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("payment_customers_pk", ["user_id", "processor"])
    .addUniqueConstraint("payment_customers_customer", ["processor", "customer_id"])
    .execute();

  // Each webhook event once (its id is unique per processor). Only its type and the id of
  // the object it is about are kept: the object's current state is fetched when applied.
  await db.schema
    .createTable("payment_events")
    .addColumn("id", "bigserial", (col) => col.primaryKey())
    .addColumn("processor", "text", (col) => col.notNull())
    .addColumn("event_id", "text", (col) => col.notNull())
    .addColumn("type", "text", (col) => col.notNull())
    .addColumn("object_id", "text", (col) => col.notNull())
    .addColumn("received_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("applied_at", "timestamptz")
    // A code: applied, ignored, unknown_customer, …
    .addColumn("outcome", "text")
    .addColumn("user_id", "uuid", (col) => col.references("users.id").onDelete("set null"))
    .addUniqueConstraint("payment_events_event", ["processor", "event_id"])
    .execute();

  await db.schema
    .createTable("payment_subscriptions")
    .addColumn("processor", "text", (col) => col.notNull())
    .addColumn("subscription_id", "text", (col) => col.notNull())
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("plan_id", "text", (col) => col.notNull())
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("current_period_end", "timestamptz")
    .addColumn("cancel_at_period_end", "boolean", (col) => col.notNull().defaultTo(false))
    .addColumn("updated_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("payment_subscriptions_pk", ["processor", "subscription_id"])
    .execute();
  await db.schema.createIndex("payment_subscriptions_user").on("payment_subscriptions").column("user_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("payment_subscriptions").execute();
  await db.schema.dropTable("payment_events").execute();
  await db.schema.dropTable("payment_customers").execute();
  await sql`drop trigger credit_balances_notify on credit_balances`.execute(db);
  await sql`drop function credit_balances_notify()`.execute(db);
  await db.schema.dropTable("credit_debts").execute();
  await sql`drop function credit_debts_apply()`.execute(db);
  await db.schema.alterTable("credit_balances").dropConstraint("credit_balances_owed_not_negative").execute();
  await db.schema.alterTable("credit_balances").dropColumn("owed").execute();
  await sql`drop index credit_ledger_payment_reference`.execute(db);
  await sql`alter table credit_ledger drop constraint credit_ledger_payment_fields`.execute(db);
  await db.schema
    .alterTable("credit_ledger")
    .dropColumn("payment_processor")
    .dropColumn("payment_reference")
    .dropColumn("payment_amount")
    .dropColumn("payment_currency")
    .dropColumn("payment_plan")
    .execute();
  await sql`alter table credit_ledger drop constraint credit_ledger_amount_sign`.execute(db);
  await sql`alter table credit_ledger add constraint credit_ledger_amount_sign check (
    (kind in ('grant', 'purchase', 'release', 'refund') and amount > 0)
    or (kind = 'reserve' and amount < 0)
    or (kind = 'capture' and amount = 0)
    or (kind = 'adjust' and amount <> 0))`.execute(db);
  await sql`alter table credit_ledger drop constraint credit_ledger_kind_check`.execute(db);
  await sql`alter table credit_ledger add constraint credit_ledger_kind_check
    check (kind in ('grant', 'purchase', 'reserve', 'capture', 'release', 'refund', 'adjust'))`.execute(db);
}
