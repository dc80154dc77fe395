import { sql, type Kysely } from "kysely";

// Frozen: this file describes the schema as of its date and must not import application code.
//
// Account deletion (issue 12, item 2).
//
// Before this, `DELETE FROM users` failed for every account: credit_ledger.user_id was
// ON DELETE CASCADE, and the cascade's DELETE hit the ledger's append-only trigger. The
// decision (see packages/account-deletion/README.md): money rows are kept for accounting,
// anonymously. The ledger and the debts keep what happened (kind, amount, when, and for
// money rows the processor's reference, amount, currency and plan) and lose who: user_id and
// actor_user_id become NULL when the user row goes (ON DELETE SET NULL). generation_id also
// becomes NULL when a generation row is removed (its FK was already SET NULL, which the
// trigger refused just the same).
//
// The append-only trigger now allows exactly one kind of UPDATE, anonymisation: those reference
// columns (and the free-text reason) turning to NULL, the idempotency key (which may embed the
// user id) becoming `erased:<row id>`, nothing else changing. Deleting a ledger row is still
// refused, and so is every other change.
//
// The rule "a reserve, capture or release names its generation" moves from a CHECK (which
// would also refuse the SET NULL above) to an insert-time trigger: new rows still must name it.
//
// account_deletion_requests: one row per account whose deletion is scheduled (grace period)
// or under way; it goes with the user row. provider_copy_deletions: what happened to each
// copy a provider kept of a deleted person's job, keyed by the provider's own job id only
// (no user reference), so an operator can see which copies a provider's API could not delete.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table credit_ledger alter column user_id drop not null`.execute(db);
  await sql`alter table credit_ledger drop constraint credit_ledger_user_id_fkey`.execute(db);
  await sql`alter table credit_ledger add constraint credit_ledger_user_id_fkey
    foreign key (user_id) references users (id) on delete set null`.execute(db);
  await sql`alter table credit_debts alter column user_id drop not null`.execute(db);
  await sql`alter table credit_debts drop constraint credit_debts_user_id_fkey`.execute(db);
  await sql`alter table credit_debts add constraint credit_debts_user_id_fkey
    foreign key (user_id) references users (id) on delete set null`.execute(db);

  await sql`alter table credit_ledger drop constraint credit_ledger_generation_kinds`.execute(db);
  await sql`
    create function credit_ledger_generation_required() returns trigger language plpgsql as $$
    begin
      if new.kind in ('reserve', 'capture', 'release') and new.generation_id is null then
        raise exception 'credit_ledger: a % row must name its generation', new.kind
          using errcode = '23514', constraint = 'credit_ledger_generation_kinds';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger credit_ledger_generation_required before insert on credit_ledger
    for each row execute function credit_ledger_generation_required()`.execute(db);

  // Shared by credit_ledger and credit_debts (debts have no actor, generation or reason: jsonb
  // reads of a missing key are NULL on both sides, so the same comparison serves both tables).
  // Allowed: a reference or the free-text reason turning to NULL, and the idempotency key (which
  // may embed a user id, e.g. `signup:<id>`) becoming `erased:<row id>`; nothing else changes.
  await sql`
    create or replace function credit_ledger_append_only() returns trigger language plpgsql as $$
    declare
      erasable constant text[] := array['user_id', 'actor_user_id', 'generation_id', 'reason'];
      before_row jsonb;
      after_row jsonb;
      col text;
    begin
      if tg_op = 'UPDATE' then
        before_row := to_jsonb(old);
        after_row := to_jsonb(new);
        foreach col in array erasable loop
          if after_row ->> col is not null and after_row -> col is distinct from before_row -> col then
            raise exception '% is append-only', tg_table_name;
          end if;
        end loop;
        if new.idempotency_key is distinct from old.idempotency_key and new.idempotency_key <> 'erased:' || old.id then
          raise exception '% is append-only', tg_table_name;
        end if;
        if (before_row - erasable - 'idempotency_key') = (after_row - erasable - 'idempotency_key') then
          return new;
        end if;
      end if;
      raise exception '% is append-only', tg_table_name;
    end $$`.execute(db);

  await db.schema
    .createTable("account_deletion_requests")
    .addColumn("user_id", "uuid", (col) => col.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("reason", "text", (col) => col.notNull().check(sql`reason in ('self_service', 'child_report')`))
    .addColumn("status", "text", (col) =>
      col
        .notNull()
        .defaultTo("scheduled")
        .check(sql`status in ('scheduled', 'erasing')`),
    )
    .addColumn("requested_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("erase_after", "timestamptz", (col) => col.notNull())
    // The administrator who started a child-report deletion (null: the person themself).
    .addColumn("requested_by", "uuid", (col) => col.references("users.id").onDelete("set null"))
    .addColumn("erasing_since", "timestamptz")
    .execute();
  await sql`create index account_deletion_requests_due_idx on account_deletion_requests (erase_after) where status = 'scheduled'`.execute(
    db,
  );

  await db.schema
    .createTable("provider_copy_deletions")
    .addColumn("provider", "text", (col) => col.notNull())
    .addColumn("provider_job_id", "text", (col) => col.notNull())
    .addColumn("outcome", "text", (col) => col.notNull().check(sql`outcome in ('deleted', 'not_supported', 'failed')`))
    // A code, never provider text: e.g. no_delete_api, not_found, http_500.
    .addColumn("detail", "text")
    .addColumn("recorded_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("provider_copy_deletions_pk", ["provider", "provider_job_id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("provider_copy_deletions").execute();
  await db.schema.dropTable("account_deletion_requests").execute();
  await sql`
    create or replace function credit_ledger_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'credit_ledger is append-only';
    end $$`.execute(db);
  await sql`drop trigger credit_ledger_generation_required on credit_ledger`.execute(db);
  await sql`drop function credit_ledger_generation_required()`.execute(db);
  await sql`alter table credit_ledger add constraint credit_ledger_generation_kinds
    check (kind not in ('reserve', 'capture', 'release') or generation_id is not null)`.execute(db);
  // Anonymised rows cannot get their owner back; down refuses rather than invent one.
  await sql`alter table credit_debts drop constraint credit_debts_user_id_fkey`.execute(db);
  await sql`alter table credit_debts add constraint credit_debts_user_id_fkey
    foreign key (user_id) references users (id) on delete cascade`.execute(db);
  await sql`alter table credit_debts alter column user_id set not null`.execute(db);
  await sql`alter table credit_ledger drop constraint credit_ledger_user_id_fkey`.execute(db);
  await sql`alter table credit_ledger add constraint credit_ledger_user_id_fkey
    foreign key (user_id) references users (id) on delete cascade`.execute(db);
  await sql`alter table credit_ledger alter column user_id set not null`.execute(db);
}
