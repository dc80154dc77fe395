import { AppError } from "@animateimg/core";
import { sql, type Db, type Executor } from "@animateimg/db";

export interface RateLimitRule {
  /** What is limited and for whom, e.g. `sign-in:account:alice@example.com`. */
  key: string;
  windowSeconds: number;
  /** Attempts allowed per window; the next one is refused until the window ends. */
  max: number;
}

export interface ConsumeRateLimitOptions extends RateLimitRule {
  now?: Date;
}

export interface RateLimitState {
  count: number;
  remaining: number;
  windowEndsAt: Date;
}

/** The wait in the unit a person reads it in: seconds, then minutes, then hours. */
function describeWait(seconds: number): { wait: number; unit: "seconds" | "minutes" | "hours"; text: string } {
  if (seconds < 90) return { wait: seconds, unit: "seconds", text: `${seconds} second${seconds === 1 ? "" : "s"}` };
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return { wait: minutes, unit: "minutes", text: `${minutes} minutes` };
  const hours = Math.ceil(minutes / 60);
  return { wait: hours, unit: "hours", text: `${hours} hours` };
}

/**
 * Counts one attempt against `key` and throws TOO_MANY_REQUESTS when the window's budget is
 * spent. One upsert does the read-and-increment, so concurrent requests in different
 * processes cannot both slip under the limit.
 */
export async function consumeRateLimit(db: Executor, options: ConsumeRateLimitOptions): Promise<RateLimitState> {
  const now = options.now ?? new Date();
  const windowEndsAt = new Date(now.getTime() + options.windowSeconds * 1000);
  const row = await db
    .insertInto("rate_limits")
    .values({ key: options.key, count: 1, window_ends_at: windowEndsAt })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        count: sql<number>`case when rate_limits.window_ends_at <= ${now} then 1 else rate_limits.count + 1 end`,
        window_ends_at: sql<Date>`case when rate_limits.window_ends_at <= ${now} then ${windowEndsAt} else rate_limits.window_ends_at end`,
      }),
    )
    .returning(["count", "window_ends_at"])
    .executeTakeFirstOrThrow();
  if (row.count > options.max) {
    const retryAfterSeconds = Math.max(1, Math.ceil((row.window_ends_at.getTime() - now.getTime()) / 1000));
    const { wait, unit, text } = describeWait(retryAfterSeconds);
    throw new AppError("TOO_MANY_REQUESTS", `Too many attempts. Please try again in ${text}.`, {
      reason: "too_many_attempts",
      params: { wait, unit },
      retryAfterSeconds,
    });
  }
  return { count: row.count, remaining: options.max - row.count, windowEndsAt: row.window_ends_at };
}

/** Forgets the attempts counted against `key` (e.g. after a successful sign-in). */
export async function resetRateLimit(db: Executor, options: { key: string }): Promise<void> {
  await db.deleteFrom("rate_limits").where("key", "=", options.key).execute();
}

/** Deletes rows whose window has ended; safe to run from a periodic job. */
/** `limit` bounds one call (the retention sweep loops); keys can hold an email or an IP address. */
export async function deleteExpiredRateLimits(db: Db, options: { now?: Date; limit?: number } = {}): Promise<number> {
  let ended = db
    .selectFrom("rate_limits")
    .select("key")
    .where("window_ends_at", "<=", options.now ?? new Date());
  if (options.limit !== undefined) ended = ended.limit(options.limit);
  const result = await db.deleteFrom("rate_limits").where("key", "in", ended).executeTakeFirst();
  return Number(result.numDeletedRows);
}
