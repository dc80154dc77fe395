// The erasure steps the account-deletion workflow runs, each a batch that can be repeated:
// everything keys on the user id and removes what it finds, so a retry after a crash simply
// continues. Order matters and is the workflow's: provider copies are recorded while the
// attempts still name them, blobs go before the rows that name their keys, and the user row
// goes last (its cascades take sessions, linked identities, keys, consents and the request).

import { sql, type ProviderCopyOutcome, type Executor } from "@animateimg/db";
import type { BlobStore } from "@animateimg/storage";

export const DEFAULT_ERASURE_BATCH_SIZE = 50;

export type BeginErasureResult = { state: "canceled" } | { state: "waiting"; eraseAfter: Date } | { state: "erasing" };

/**
 * The point of no return, checked against the database (not only the workflow's timer): a
 * canceled request has no row; a row whose date is still ahead waits. Signs the person out
 * everywhere as erasure starts.
 */
export async function beginAccountErasure(
  db: Executor,
  options: { userId: string; now?: Date },
): Promise<BeginErasureResult> {
  const now = options.now ?? new Date();
  const request = await db
    .selectFrom("account_deletion_requests")
    .select(["status", "erase_after"])
    .where("user_id", "=", options.userId)
    .executeTakeFirst();
  if (!request) return { state: "canceled" };
  if (request.status === "scheduled") {
    if (request.erase_after > now) return { state: "waiting", eraseAfter: request.erase_after };
    // Only a still-scheduled, due row moves on, so a cancel racing this step wins or loses cleanly.
    const moved = await db
      .updateTable("account_deletion_requests")
      .set({ status: "erasing", erasing_since: now })
      .where("user_id", "=", options.userId)
      .where("status", "=", "scheduled")
      .where("erase_after", "<=", now)
      .returning("user_id")
      .executeTakeFirst();
    if (!moved) return beginAccountErasure(db, options);
  }
  await db.deleteFrom("sessions").where("user_id", "=", options.userId).execute();
  await db
    .updateTable("api_keys")
    .set({ revoked_at: now })
    .where("user_id", "=", options.userId)
    .where("revoked_at", "is", null)
    .execute();
  return { state: "erasing" };
}

/** Generations still queued or running: their workflows are canceled before their rows go. */
export async function listActiveGenerationIds(db: Executor, options: { userId: string }): Promise<string[]> {
  const rows = await db
    .selectFrom("generations")
    .select("id")
    .where("user_id", "=", options.userId)
    .where("status", "in", ["queued", "running"])
    .execute();
  return rows.map((row) => row.id);
}

/** Removes a provider's copy of a job where its API allows it. */
export interface ProviderCopyRemover {
  /**
   * `deleted` when the provider's API removed its copy, `not_supported` when it has no such
   * API (`detail` a code, e.g. no_delete_api). Throws on a failure worth retrying.
   */
  remove(copy: {
    provider: string;
    providerJobId: string;
    modelId: string;
  }): Promise<{ outcome: ProviderCopyOutcome; detail: string | null }>;
}

/**
 * One batch of the person's jobs at providers not yet dealt with: deleted there where the
 * provider's API allows it, and recorded either way (by the provider's job id only).
 */
export async function settleProviderCopies(
  db: Executor,
  deps: { remover: ProviderCopyRemover },
  options: { userId: string; batchSize?: number },
): Promise<{ settled: Array<{ provider: string; outcome: ProviderCopyOutcome }>; done: boolean }> {
  const batchSize = options.batchSize ?? DEFAULT_ERASURE_BATCH_SIZE;
  const copies = await db
    .selectFrom("generation_attempts as a")
    .innerJoin("generations as g", "g.id", "a.generation_id")
    .select(["a.provider", "a.provider_job_id", "g.model_id"])
    .where("g.user_id", "=", options.userId)
    .where("a.provider", "!=", "local")
    .where("a.provider_job_id", "is not", null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("provider_copy_deletions as d")
            .select(sql`1`.as("one"))
            .whereRef("d.provider", "=", "a.provider")
            .whereRef("d.provider_job_id", "=", "a.provider_job_id"),
        ),
      ),
    )
    .distinct()
    .limit(batchSize)
    .execute();
  const settled: Array<{ provider: string; outcome: ProviderCopyOutcome }> = [];
  for (const copy of copies) {
    const providerJobId = copy.provider_job_id as string;
    const result = await deps.remover.remove({ provider: copy.provider, providerJobId, modelId: copy.model_id });
    await db
      .insertInto("provider_copy_deletions")
      .values({
        provider: copy.provider,
        provider_job_id: providerJobId,
        outcome: result.outcome,
        detail: result.detail,
      })
      .onConflict((oc) => oc.columns(["provider", "provider_job_id"]).doNothing())
      .execute();
    settled.push({ provider: copy.provider, outcome: result.outcome });
  }
  return { settled, done: copies.length < batchSize };
}

/** One batch of generations: their output video and poster blobs, then the rows (attempts go with them). */
export async function eraseGenerationBatch(
  db: Executor,
  deps: { store: BlobStore },
  options: { userId: string; batchSize?: number },
): Promise<{ erased: number; blobs: number; done: boolean }> {
  const batchSize = options.batchSize ?? DEFAULT_ERASURE_BATCH_SIZE;
  const rows = await db
    .selectFrom("generations")
    .select(["id", "output_video_key", "output_poster_key"])
    .where("user_id", "=", options.userId)
    .orderBy("id")
    .limit(batchSize)
    .execute();
  if (rows.length === 0) return { erased: 0, blobs: 0, done: true };
  const keys = rows
    .flatMap((row) => [row.output_video_key, row.output_poster_key])
    .filter((key): key is string => key !== null);
  for (const key of keys) await deps.store.delete(key);
  await db
    .deleteFrom("generations")
    .where("user_id", "=", options.userId)
    .where(
      "id",
      "in",
      rows.map((row) => row.id),
    )
    .execute();
  return { erased: rows.length, blobs: keys.length, done: rows.length < batchSize };
}

/** One batch of uploads: original, thumbnail and poster blobs, then the rows. */
export async function eraseAssetBatch(
  db: Executor,
  deps: { store: BlobStore },
  options: { userId: string; batchSize?: number },
): Promise<{ erased: number; blobs: number; done: boolean }> {
  const batchSize = options.batchSize ?? DEFAULT_ERASURE_BATCH_SIZE;
  const rows = await db
    .selectFrom("assets")
    .select(["id", "original_key", "thumbnail_key", "poster_key"])
    .where("user_id", "=", options.userId)
    .orderBy("id")
    .limit(batchSize)
    .execute();
  if (rows.length === 0) return { erased: 0, blobs: 0, done: true };
  const keys = rows
    .flatMap((row) => [row.original_key, row.thumbnail_key, row.poster_key])
    .filter((key): key is string => key !== null);
  for (const key of keys) await deps.store.delete(key);
  await db
    .deleteFrom("assets")
    .where("user_id", "=", options.userId)
    .where(
      "id",
      "in",
      rows.map((row) => row.id),
    )
    .execute();
  return { erased: rows.length, blobs: keys.length, done: rows.length < batchSize };
}

/**
 * Export archives the person asked for (data_exports, owned by @animateimg/data-export): their
 * blobs, then the rows. Read with plain SQL and only when that table exists, so this step also
 * runs against a schema from before exports.
 */
export async function eraseExportArchives(
  db: Executor,
  deps: { store: BlobStore },
  options: { userId: string },
): Promise<{ erased: number; blobs: number }> {
  const exists = await sql<{
    present: boolean;
  }>`select to_regclass('public.data_exports') is not null as present`.execute(db);
  if (!exists.rows[0]?.present) return { erased: 0, blobs: 0 };
  const rows = await sql<{
    id: string;
    blob_key: string | null;
  }>`select id, blob_key from data_exports where user_id = ${options.userId}`.execute(db);
  const keys = rows.rows.map((row) => row.blob_key).filter((key): key is string => key !== null);
  for (const key of keys) await deps.store.delete(key);
  await sql`delete from data_exports where user_id = ${options.userId}`.execute(db);
  return { erased: rows.rows.length, blobs: keys.length };
}

/** Rate-limit keys that name the person: by email (sign-in, reset) or by user id (verification, password checks). */
function rateLimitSuffixes(userId: string, emails: string[]): string[] {
  return [`:${userId}`, ...emails.map((email) => `:${email.toLowerCase()}`)];
}

/**
 * The last step: mail sent to any address the person used, rate-limit keys that hold their
 * email or id, then the user row. Its foreign keys remove sessions, email tokens, linked
 * OAuth identities, API keys, consents and acceptances, the payment customer and
 * subscription rows, the balance and this request, and turn the ledger's and debts' user
 * references to NULL (the anonymous accounting rows). Idempotent: a second run finds nothing.
 */
export async function eraseAccountRecord(
  db: Executor,
  options: { userId: string },
): Promise<{ userRemoved: boolean; outboxRows: number; rateLimitKeys: number }> {
  const user = await db.selectFrom("users").select("email").where("id", "=", options.userId).executeTakeFirst();
  if (!user) return { userRemoved: false, outboxRows: 0, rateLimitKeys: 0 };
  const tokenEmails = await db
    .selectFrom("email_tokens")
    .select("email")
    .where("user_id", "=", options.userId)
    .execute();
  const oauthEmails = await db
    .selectFrom("oauth_accounts")
    .select("email")
    .where("user_id", "=", options.userId)
    .execute();
  const emails = [
    ...new Set(
      [user.email, ...tokenEmails.map((row) => row.email), ...oauthEmails.map((row) => row.email)]
        .filter((e): e is string => !!e)
        .map((e) => e.toLowerCase()),
    ),
  ];

  const outbox = await db
    .deleteFrom("email_outbox")
    .where((eb) => eb(eb.fn("lower", ["to_address"]), "in", emails))
    .executeTakeFirst();
  const suffixes = rateLimitSuffixes(options.userId, emails);
  const rateLimits = await db
    .deleteFrom("rate_limits")
    .where((eb) => eb.or(suffixes.map((suffix) => eb(sql<string>`right(key, ${suffix.length})`, "=", suffix))))
    .executeTakeFirst();
  // The accounting rows stay, anonymous (see the README). The foreign keys would NULL the user
  // reference on their own; the idempotency key can embed the user id (`signup:<id>`) and an
  // administrator's adjustment reason is free text, so those go explicitly.
  await sql`update credit_ledger set user_id = null,
      reason = case when kind = 'adjust' then null else reason end,
      idempotency_key = case when strpos(idempotency_key, ${options.userId}) > 0 then 'erased:' || id else idempotency_key end
    where user_id = ${options.userId}`.execute(db);
  await sql`update credit_debts set user_id = null,
      idempotency_key = case when strpos(idempotency_key, ${options.userId}) > 0 then 'erased:' || id else idempotency_key end
    where user_id = ${options.userId}`.execute(db);
  const removed = await db.deleteFrom("users").where("id", "=", options.userId).executeTakeFirst();
  return {
    userRemoved: Number(removed.numDeletedRows) > 0,
    outboxRows: Number(outbox.numDeletedRows),
    rateLimitKeys: Number(rateLimits.numDeletedRows),
  };
}
