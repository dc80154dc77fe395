// A person with something in every table that can hold them, for the deletion tests (here and
// in the workflow and conformance suites). Rows are written directly: what matters is that
// each table has a row of theirs, not how the product got it there.
import { randomBytes, randomUUID } from "node:crypto";
import { createSession, hashPassword } from "@animateimg/auth";
import { grantSignupCredits, recordPurchase, reserveCredits, captureCredits } from "@animateimg/billing";
import { sql, type Db } from "@animateimg/db";
import type { BlobStore } from "@animateimg/storage";

export interface SeededAccount {
  id: string;
  email: string;
  password: string | null;
  sessionToken: string;
  sessionId: string;
  /** Every blob key the account owns in the store. */
  blobKeys: string[];
  generationIds: string[];
  /** Ledger row ids that must survive deletion, anonymous. */
  ledgerIds: number[];
  /** Provider job ids of the account's generations at remote providers. */
  providerJobIds: string[];
}

async function putBlob(store: BlobStore, label: string): Promise<string> {
  const stored = await store.put(new Uint8Array(randomBytes(64)), {
    contentType: "application/octet-stream",
    name: label,
  });
  return stored.key;
}

/**
 * Creates an account with a password (or none: OAuth-only), a session, a linked identity, an
 * email token, two uploads and two generations with output blobs (one with an attempt at a
 * remote provider), a welcome grant, a purchase and a captured reservation, a payment
 * customer, event and (canceled) subscription, an API key, a policy acceptance, marketing
 * consent, mail in the outbox and rate-limit rows keyed by its email and id.
 */
export async function seedFullAccount(
  db: Db,
  options: { store: BlobStore; email: string; password?: string | null; provider?: string },
): Promise<SeededAccount> {
  const password = options.password === undefined ? "correct horse battery staple" : options.password;
  const user = await db
    .insertInto("users")
    .values({
      email: options.email,
      name: `Name of ${options.email}`,
      password_hash: password === null ? null : await hashPassword(password),
      email_verified_at: new Date(),
      age_confirmed_at: new Date(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const userId = user.id;
  const session = await createSession(db, { userId, userAgent: "Test browser", ip: "203.0.113.9" });
  await db
    .insertInto("oauth_accounts")
    .values({ provider: "github", provider_user_id: `gh-${randomUUID()}`, user_id: userId, email: options.email })
    .execute();
  await db
    .insertInto("email_tokens")
    .values({
      id: randomUUID(),
      user_id: userId,
      kind: "change_email",
      email: `new-${options.email}`,
      expires_at: new Date(Date.now() + 3600_000),
    })
    .execute();

  const blobKeys: string[] = [];
  const assetIds: string[] = [];
  for (const n of [1, 2]) {
    const original = await putBlob(options.store, `original-${n}`);
    const thumbnail = await putBlob(options.store, `thumb-${n}`);
    blobKeys.push(original, thumbnail);
    const asset = await db
      .insertInto("assets")
      .values({
        user_id: userId,
        kind: "image",
        mime: "image/jpeg",
        original_name: `holiday-${n}.jpg`,
        width: 640,
        height: 480,
        duration_ms: null,
        bytes: 64,
        sha256: randomBytes(32).toString("hex"),
        storage_driver: options.store.driver,
        original_key: original,
        thumbnail_key: thumbnail,
        poster_key: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    assetIds.push(asset.id);
  }

  await grantSignupCredits(db, { userId, amount: 50 });
  await recordPurchase(db, {
    userId,
    credits: 100,
    processor: "stripe",
    reference: `pi_${randomBytes(6).toString("hex")}`,
    amount: 900,
    currency: "usd",
    plan: "pack-100",
    idempotencyKey: `payment:stripe:${randomUUID()}`,
  });

  const generationIds: string[] = [];
  const providerJobIds: string[] = [];
  for (const n of [1, 2]) {
    const video = await putBlob(options.store, `video-${n}`);
    const poster = await putBlob(options.store, `poster-${n}`);
    blobKeys.push(video, poster);
    const generation = await db
      .insertInto("generations")
      .values({
        user_id: userId,
        model_id: "animate",
        prompt: `A private prompt of ${options.email}`,
        params: JSON.stringify({ motion: "dolly" }),
        image_asset_id: assetIds[n - 1] as string,
        end_frame_asset_id: null,
        reference_video_asset_id: null,
        price_credits: 5,
        idempotency_key: randomUUID(),
        retry_of: null,
        output_video_key: video,
        output_poster_key: poster,
        output_duration_ms: 5000,
        output_width: 1280,
        output_height: 720,
        output_bytes: 64,
        output_sha256: randomBytes(32).toString("hex"),
        status: "succeeded",
        finished_at: new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    generationIds.push(generation.id);
    await reserveCredits(db, { userId, generationId: generation.id, amount: 5 });
    await captureCredits(db, { generationId: generation.id });
    const provider = n === 1 ? (options.provider ?? "fal") : "local";
    const providerJobId = `${provider}-job-${randomUUID()}`;
    if (provider !== "local") providerJobIds.push(providerJobId);
    await db
      .insertInto("generation_attempts")
      .values({
        generation_id: generation.id,
        attempt_no: 1,
        provider,
        provider_job_id: providerJobId,
        error_kind: null,
        error_message: null,
        finished_at: new Date(),
        latency_ms: 1000,
        engine_ms: null,
        outcome: "succeeded",
      })
      .execute();
  }

  await db
    .insertInto("payment_customers")
    .values({ user_id: userId, processor: "stripe", customer_id: `cus_${randomBytes(6).toString("hex")}` })
    .execute();
  await db
    .insertInto("payment_events")
    .values({
      processor: "stripe",
      event_id: `evt_${randomBytes(6).toString("hex")}`,
      type: "checkout.session.completed",
      object_id: `cs_${randomBytes(6).toString("hex")}`,
      applied_at: new Date(),
      outcome: "applied",
      user_id: userId,
    })
    .execute();
  await db
    .insertInto("payment_subscriptions")
    .values({
      processor: "stripe",
      subscription_id: `sub_${randomBytes(6).toString("hex")}`,
      user_id: userId,
      plan_id: "plan-monthly",
      status: "canceled",
      current_period_end: new Date(),
    })
    .execute();
  await db
    .insertInto("api_keys")
    .values({
      id: randomBytes(8).toString("hex"),
      user_id: userId,
      name: "my key",
      secret_hash: new Uint8Array(randomBytes(32)),
      scopes: ["read"],
      requests_per_minute: 60,
    })
    .execute();
  await db
    .insertInto("privacy_policy_acceptances")
    .values({ user_id: userId, policy_version: "2026-05-12", source: "sign_up" })
    .execute();
  await db
    .insertInto("marketing_email_consents")
    .values({ user_id: userId, opted_in: true, changed_via: "settings" })
    .execute();
  await db
    .insertInto("email_outbox")
    .values({
      kind: "verify_email",
      to_address: options.email,
      subject: "Confirm",
      text_body: `Hello ${options.email}`,
      html_body: "<p>Hello</p>",
    })
    .execute();
  for (const key of [
    `sign-in:account:${options.email.toLowerCase()}`,
    `reset:account:${options.email.toLowerCase()}`,
    `password-check:account:${userId}`,
  ]) {
    await db
      .insertInto("rate_limits")
      .values({ key, count: 1, window_ends_at: new Date(Date.now() + 600_000) })
      .execute();
  }

  const ledger = await db.selectFrom("credit_ledger").select("id").where("user_id", "=", userId).execute();
  return {
    id: userId,
    email: options.email,
    password,
    sessionToken: session.token,
    sessionId: session.id,
    blobKeys,
    generationIds,
    ledgerIds: ledger.map((row) => Number(row.id)),
    providerJobIds,
  };
}

/** Tables of the public schema, except the migrator's own. */
async function publicTables(db: Db): Promise<string[]> {
  const rows = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely_%'
    order by table_name`.execute(db);
  return rows.rows.map((row) => row.table_name);
}

/**
 * Every row, in every table, whose text mentions the person's id or email (case-insensitive).
 * Generic on purpose: a table added later is searched without anyone remembering to.
 */
export async function rowsMentioning(db: Db, needles: string[]): Promise<Array<{ table: string; count: number }>> {
  const found: Array<{ table: string; count: number }> = [];
  for (const table of await publicTables(db)) {
    for (const needle of needles) {
      const result = await sql<{ count: number }>`select count(*)::int as count from ${sql.table(table)} as r
        where strpos(lower(r::text), lower(${needle})) > 0`.execute(db);
      const count = result.rows[0]?.count ?? 0;
      if (count > 0) found.push({ table, count });
    }
  }
  return found;
}

/**
 * Every column of the live schema that refers to a person: each foreign key to users(id), and
 * every column named user_id or *_user_id (a reference without a foreign key counts too).
 */
export async function liveUserReferenceColumns(db: Db): Promise<string[]> {
  const foreignKeys = await sql<{ ref: string }>`
    select c.conrelid::regclass::text || '.' || a.attname as ref
    from pg_constraint c
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
    where c.contype = 'f' and c.confrelid = 'users'::regclass`.execute(db);
  const named = await sql<{ ref: string }>`
    select table_name || '.' || column_name as ref from information_schema.columns
    where table_schema = 'public' and (column_name = 'user_id' or column_name like '%\\_user\\_id')
      and column_name <> 'provider_user_id'`.execute(db);
  return [...new Set([...foreignKeys.rows, ...named.rows].map((row) => row.ref))].sort();
}
