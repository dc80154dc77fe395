import { sql, type Kysely } from "kysely";

// Frozen: this file describes the schema as of its date and must not import application code.
// Outbound webhooks (issue 18, item 3):
// - webhook_endpoints: where an account wants events, with the signing secret (needed in the
//   clear to sign; shown to the owner once), the event types it subscribes to, and whether it
//   is enabled. failing_since marks the start of an unbroken run of failed attempts: an
//   endpoint failing for days is disabled (disabled_reason 'failing').
// - webhook_events: one row per (generation, event type): the message id (webhook-id) and the
//   exact payload every endpoint receives, so retries and resends send the same bytes.
// - webhook_deliveries: one event to one endpoint (manual resends are rows of their own).
// - webhook_delivery_attempts: each HTTP attempt: status code, duration, error class, time.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("webhook_endpoints")
    .addColumn("id", "uuid", (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("url", "text", (col) => col.notNull())
    .addColumn("description", "text", (col) => col.notNull().defaultTo(""))
    .addColumn("secret", "text", (col) => col.notNull())
    .addColumn("events", sql`text[]`, (col) => col.notNull())
    .addColumn("enabled", "boolean", (col) => col.notNull().defaultTo(true))
    .addColumn("disabled_reason", "text", (col) => col.check(sql`disabled_reason in ('owner', 'failing')`))
    .addColumn("disabled_at", "timestamptz")
    .addColumn("failing_since", "timestamptz")
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      "webhook_endpoints_events_known",
      sql`events <@ array['generation.succeeded','generation.failed','generation.canceled']::text[] and cardinality(events) > 0`,
    )
    .execute();
  await db.schema
    .createIndex("webhook_endpoints_user_idx")
    .on("webhook_endpoints")
    .columns(["user_id", "created_at"])
    .execute();

  await db.schema
    .createTable("webhook_events")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("type", "text", (col) => col.notNull())
    .addColumn("generation_id", "uuid", (col) => col.references("generations.id").onDelete("set null"))
    .addColumn("payload", "text", (col) => col.notNull())
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index webhook_events_generation_type_idx on webhook_events (generation_id, type) where generation_id is not null`.execute(
    db,
  );

  await db.schema
    .createTable("webhook_deliveries")
    .addColumn("id", "uuid", (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("user_id", "uuid", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("event_id", "text", (col) => col.notNull().references("webhook_events.id").onDelete("cascade"))
    .addColumn("endpoint_id", "uuid", (col) => col.notNull().references("webhook_endpoints.id").onDelete("cascade"))
    .addColumn("manual", "boolean", (col) => col.notNull().defaultTo(false))
    .addColumn("status", "text", (col) =>
      col
        .notNull()
        .defaultTo("pending")
        .check(sql`status in ('pending', 'succeeded', 'failed')`),
    )
    .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("last_status_code", "integer")
    .addColumn("next_attempt_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("finished_at", "timestamptz")
    .execute();
  // The automatic delivery of an event to an endpoint exists once, however often it is emitted.
  await sql`create unique index webhook_deliveries_automatic_idx on webhook_deliveries (event_id, endpoint_id) where not manual`.execute(
    db,
  );
  await db.schema
    .createIndex("webhook_deliveries_endpoint_idx")
    .on("webhook_deliveries")
    .columns(["endpoint_id", "created_at"])
    .execute();

  await db.schema
    .createTable("webhook_delivery_attempts")
    .addColumn("id", "bigserial", (col) => col.primaryKey())
    .addColumn("delivery_id", "uuid", (col) => col.notNull().references("webhook_deliveries.id").onDelete("cascade"))
    .addColumn("attempt_no", "integer", (col) => col.notNull())
    .addColumn("status_code", "integer")
    .addColumn("duration_ms", "integer", (col) => col.notNull())
    .addColumn("error_class", "text")
    .addColumn("attempted_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("webhook_delivery_attempts_no", ["delivery_id", "attempt_no"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("webhook_delivery_attempts").execute();
  await db.schema.dropTable("webhook_deliveries").execute();
  await db.schema.dropTable("webhook_events").execute();
  await db.schema.dropTable("webhook_endpoints").execute();
}
