import { sql, type Kysely } from "kysely";

// Frozen: this file describes the schema as of its date and must not import application code.
//
// The balance row is what every reservation of one user waits for (its row lock is held from
// the trigger's UPDATE to the commit). Two changes shorten that queue, neither changes a rule:
// - A capture moves nothing (amount 0), so it no longer touches the balance row at all: no
//   lock, no new row version, no NOTIFY for a balance that did not change. Balance = sum of the
//   ledger still holds (adding 0), and the CHECK still judges every entry that moves credits.
// - The UPDATE comes first and the INSERT … ON CONFLICT only when the row does not exist yet
//   (a user's first entry), instead of a speculative insert before every update. A first entry
//   that would be negative still meets the same CHECK (credit_balances_available_not_negative).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function credit_ledger_apply() returns trigger language plpgsql as $$
    begin
      if new.amount = 0 then
        return new;
      end if;
      update credit_balances set available = available + new.amount, updated_at = now() where user_id = new.user_id;
      if not found then
        insert into credit_balances (user_id, available) values (new.user_id, new.amount)
          on conflict (user_id) do update set available = credit_balances.available + excluded.available, updated_at = now();
      end if;
      return new;
    end $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function credit_ledger_apply() returns trigger language plpgsql as $$
    begin
      insert into credit_balances (user_id, available) values (new.user_id, 0) on conflict (user_id) do nothing;
      update credit_balances set available = available + new.amount, updated_at = now() where user_id = new.user_id;
      return new;
    end $$`.execute(db);
}
