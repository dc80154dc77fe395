import { sql, type Kysely } from "kysely";

// Frozen: this file describes the schema as of its date and must not import application code.
//
// Credits: every change to a balance is a row of credit_ledger. The balance row is
// maintained by a trigger in the same transaction, and its CHECK (available >= 0) is what
// refuses an overdraft — also when two reservations race, since both must update the same
// row and Postgres serializes them on its lock. Ledger rows are append-only.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("generations")
    .addColumn("id", "uuid", (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("model_id", "text", (col) => col.notNull())
    .addColumn("prompt", "text", (col) => col.notNull())
    .addColumn("params", "jsonb", (col) => col.notNull())
    .addColumn("image_asset_id", "uuid", (col) => col.notNull())
    .addColumn("end_frame_asset_id", "uuid")
    .addColumn("reference_video_asset_id", "uuid")
    .addColumn("private", "boolean", (col) => col.notNull().defaultTo(true))
    .addColumn("status", "text", (col) =>
      col
        .notNull()
        .defaultTo("queued")
        .check(sql`status in ('queued', 'running', 'succeeded', 'failed', 'canceled')`),
    )
    .addColumn("progress", "real", (col) =>
      col
        .notNull()
        .defaultTo(0)
        .check(sql`progress >= 0 and progress <= 1`),
    )
    .addColumn("queue_position", "integer")
    .addColumn("status_message", "text")
    .addColumn("failure_reason", "text")
    .addColumn("price_credits", "integer", (col) => col.notNull().check(sql`price_credits > 0`))
    .addColumn("idempotency_key", "text", (col) => col.notNull())
    .addColumn("retry_of", "uuid", (col) => col.references("generations.id").onDelete("set null"))
    .addColumn("output_video_key", "text")
    .addColumn("output_poster_key", "text")
    .addColumn("output_duration_ms", "integer")
    .addColumn("output_width", "integer")
    .addColumn("output_height", "integer")
    .addColumn("output_bytes", "bigint")
    .addColumn("output_sha256", "text")
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("started_at", "timestamptz")
    .addColumn("finished_at", "timestamptz")
    .addColumn("deleted_at", "timestamptz")
    .addUniqueConstraint("generations_user_idempotency_key", ["user_id", "idempotency_key"])
    .execute();
  await db.schema
    .createIndex("generations_user_created")
    .on("generations")
    .columns(["user_id", "created_at desc", "id desc"])
    .where(sql.ref("deleted_at"), "is", null)
    .execute();

  // The blob route finds a generation by its output's key on every read.
  await db.schema.createIndex("generations_output_video_key").on("generations").column("output_video_key").execute();
  await db.schema.createIndex("generations_output_poster_key").on("generations").column("output_poster_key").execute();
  // The public gallery: newest succeeded, non-private first.
  await sql`create index generations_gallery on generations (finished_at desc, id desc) where not private and status = 'succeeded' and deleted_at is null`.execute(
    db,
  );

  await db.schema
    .createTable("generation_attempts")
    .addColumn("id", "uuid", (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("generation_id", "uuid", (col) => col.notNull().references("generations.id").onDelete("cascade"))
    .addColumn("attempt_no", "integer", (col) => col.notNull().check(sql`attempt_no >= 1`))
    .addColumn("provider", "text", (col) => col.notNull())
    .addColumn("provider_job_id", "text")
    .addColumn("outcome", "text", (col) =>
      col
        .notNull()
        .defaultTo("running")
        .check(sql`outcome in ('running', 'succeeded', 'failed', 'canceled', 'timed_out')`),
    )
    .addColumn("error_kind", "text")
    .addColumn("error_message", "text")
    .addColumn("started_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("finished_at", "timestamptz")
    .addColumn("latency_ms", "integer")
    .addColumn("engine_ms", "integer")
    .addUniqueConstraint("generation_attempts_no", ["generation_id", "attempt_no"])
    .execute();
  await db.schema
    .createIndex("generation_attempts_provider_job")
    .on("generation_attempts")
    .columns(["provider", "provider_job_id"])
    .execute();
  await db.schema
    .createIndex("generation_attempts_provider_recent")
    .on("generation_attempts")
    .columns(["provider", "started_at desc"])
    .execute();

  await db.schema
    .createTable("credit_balances")
    .addColumn("user_id", "uuid", (col) => col.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("available", "bigint", (col) => col.notNull().defaultTo(0))
    .addColumn("updated_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("credit_balances_available_not_negative", sql`available >= 0`)
    .execute();

  await db.schema
    .createTable("credit_ledger")
    .addColumn("id", "bigserial", (col) => col.primaryKey())
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("kind", "text", (col) =>
      col.notNull().check(sql`kind in ('grant', 'purchase', 'reserve', 'capture', 'release', 'refund', 'adjust')`),
    )
    .addColumn("amount", "bigint", (col) => col.notNull())
    .addColumn("generation_id", "uuid", (col) => col.references("generations.id").onDelete("set null"))
    .addColumn("idempotency_key", "text", (col) => col.notNull().unique())
    .addColumn("reason", "text")
    .addColumn("actor_user_id", "uuid", (col) => col.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    // amount is the change to the available balance: a reservation takes credits out, a
    // release gives them back, a capture settles the reservation and moves nothing.
    .addCheckConstraint(
      "credit_ledger_amount_sign",
      sql`(kind in ('grant', 'purchase', 'release', 'refund') and amount > 0)
        or (kind = 'reserve' and amount < 0)
        or (kind = 'capture' and amount = 0)
        or (kind = 'adjust' and amount <> 0)`,
    )
    .addCheckConstraint(
      "credit_ledger_generation_kinds",
      sql`kind not in ('reserve', 'capture', 'release') or generation_id is not null`,
    )
    .execute();
  await db.schema.createIndex("credit_ledger_user").on("credit_ledger").columns(["user_id", "id"]).execute();
  // At most one reservation per generation, and it is settled at most once: captured or released.
  await sql`create unique index credit_ledger_one_reserve on credit_ledger (generation_id) where kind = 'reserve'`.execute(
    db,
  );
  await sql`create unique index credit_ledger_one_settlement on credit_ledger (generation_id) where kind in ('capture', 'release')`.execute(
    db,
  );

  await sql`
    create function credit_ledger_apply() returns trigger language plpgsql as $$
    begin
      insert into credit_balances (user_id, available) values (new.user_id, 0) on conflict (user_id) do nothing;
      update credit_balances set available = available + new.amount, updated_at = now() where user_id = new.user_id;
      return new;
    end $$`.execute(db);
  await sql`create trigger credit_ledger_apply after insert on credit_ledger for each row execute function credit_ledger_apply()`.execute(
    db,
  );
  await sql`
    create function credit_ledger_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'credit_ledger is append-only';
    end $$`.execute(db);
  await sql`create trigger credit_ledger_append_only before update or delete on credit_ledger for each row execute function credit_ledger_append_only()`.execute(
    db,
  );
  // A status change wakes the live status stream without polling.
  await sql`
    create function generations_notify() returns trigger language plpgsql as $$
    begin
      perform pg_notify('generation_status', json_build_object('id', new.id, 'userId', new.user_id)::text);
      return new;
    end $$`.execute(db);
  await sql`create trigger generations_notify after insert or update on generations for each row execute function generations_notify()`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists generations_notify on generations`.execute(db);
  await sql`drop function if exists generations_notify()`.execute(db);
  await db.schema.dropTable("credit_ledger").execute();
  await sql`drop function if exists credit_ledger_apply()`.execute(db);
  await sql`drop function if exists credit_ledger_append_only()`.execute(db);
  await db.schema.dropTable("credit_balances").execute();
  await db.schema.dropTable("generation_attempts").execute();
  await db.schema.dropTable("generations").execute();
}
