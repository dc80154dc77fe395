import { sql, type Db } from "@animateimg/db";

/**
 * The ledger invariant, checked across every user: the balance equals the sum of the
 * ledger, and every reservation has at most one settlement. Returns the violations
 * (empty when all holds) so a failing test says which user and why.
 */
export async function ledgerViolations(db: Db): Promise<string[]> {
  const mismatched = await sql<{ user_id: string; available: number; ledger_sum: number }>`
    select u.id as user_id, coalesce(b.available, 0)::bigint as available, coalesce(sum(l.amount), 0)::bigint as ledger_sum
    from users u
    left join credit_balances b on b.user_id = u.id
    left join credit_ledger l on l.user_id = u.id
    group by u.id, b.available
    having coalesce(b.available, 0) <> coalesce(sum(l.amount), 0)`.execute(db);
  const unsettledTwice = await sql<{ generation_id: string; settlements: number }>`
    select generation_id, count(*)::int as settlements from credit_ledger
    where kind in ('capture', 'release') and generation_id is not null group by generation_id having count(*) > 1`.execute(
    db,
  );
  const settledWithoutReserve = await sql<{ generation_id: string }>`
    select s.generation_id from credit_ledger s
    where s.kind in ('capture', 'release') and s.generation_id is not null
      and not exists (select 1 from credit_ledger r where r.generation_id = s.generation_id and r.kind = 'reserve')`.execute(
    db,
  );
  // What is owed equals the sum of the debt rows, and money rows say which payment they concern.
  const owedMismatched = await sql<{ user_id: string; owed: number; debt_sum: number }>`
    select u.id as user_id, coalesce(b.owed, 0)::bigint as owed, coalesce((select sum(d.amount) from credit_debts d where d.user_id = u.id), 0)::bigint as debt_sum
    from users u left join credit_balances b on b.user_id = u.id
    where coalesce(b.owed, 0) <> coalesce((select sum(d.amount) from credit_debts d where d.user_id = u.id), 0)`.execute(
    db,
  );
  return [
    ...owedMismatched.rows.map((r) => `user ${r.user_id}: owes ${r.owed} but debts sum to ${r.debt_sum}`),
    ...mismatched.rows.map((r) => `user ${r.user_id}: balance ${r.available} but ledger sums to ${r.ledger_sum}`),
    ...unsettledTwice.rows.map((r) => `generation ${r.generation_id}: settled ${r.settlements} times`),
    ...settledWithoutReserve.rows.map((r) => `generation ${r.generation_id}: settled without a reservation`),
  ];
}

/** Reservations still open (neither captured nor released): fine mid-flight, a leak at rest. */
export async function openReservations(db: Db): Promise<string[]> {
  const rows = await sql<{ generation_id: string }>`
    select r.generation_id from credit_ledger r
    where r.kind = 'reserve' and r.generation_id is not null
      and not exists (select 1 from credit_ledger s where s.generation_id = r.generation_id and s.kind in ('capture', 'release'))`.execute(
    db,
  );
  return rows.rows.map((r) => r.generation_id);
}
