import { sql, type Db } from "@animateimg/db";

// Usage and cost (issue 18, item 4): credits an account spent, per day, per model and per API
// key. "Spent" is what was charged: a generation's reservation that was captured (a released
// one was refunded and costs nothing). The day is the generation's finish (when it was charged),
// in UTC.

export interface UsageBucket {
  credits: number;
  generations: number;
}

export interface CreditUsage {
  /** First and last day (YYYY-MM-DD, UTC), inclusive. */
  from: string;
  to: string;
  total: UsageBucket;
  /** Every day of the range, oldest first, zeros included (a chart needs the gaps). */
  perDay: Array<UsageBucket & { day: string }>;
  /** Dearest first. */
  perModel: Array<UsageBucket & { modelId: string }>;
  /** Dearest first; `apiKeyId` null: made in the web app. */
  perKey: Array<UsageBucket & { apiKeyId: string | null; name: string | null; revoked: boolean }>;
}

const DAY_MS = 86_400_000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export async function creditUsage(db: Db, input: { userId: string; days: number; now?: Date }): Promise<CreditUsage> {
  const days = Math.min(Math.max(Math.trunc(input.days), 1), 366);
  const now = input.now ?? new Date();
  const lastDay = new Date(`${isoDay(now)}T00:00:00Z`);
  const firstDay = new Date(lastDay.getTime() - (days - 1) * DAY_MS);
  const rows = await db
    .selectFrom("credit_ledger as c")
    .innerJoin("credit_ledger as r", (join) =>
      join.onRef("r.generation_id", "=", "c.generation_id").on("r.kind", "=", "reserve"),
    )
    .innerJoin("generations as g", "g.id", "c.generation_id")
    .leftJoin("api_keys as k", "k.id", "g.api_key_id")
    .select([
      sql<string>`to_char(coalesce(g.finished_at, c.created_at) at time zone 'UTC', 'YYYY-MM-DD')`.as("day"),
      "g.model_id",
      "g.api_key_id",
      "k.name",
      "k.revoked_at",
      sql<string>`sum(-r.amount)`.as("credits"),
      sql<string>`count(*)`.as("generations"),
    ])
    .where("c.kind", "=", "capture")
    .where("c.user_id", "=", input.userId)
    .where("g.user_id", "=", input.userId)
    .where(sql<Date>`coalesce(g.finished_at, c.created_at)`, ">=", firstDay)
    .groupBy([sql`1`, "g.model_id", "g.api_key_id", "k.name", "k.revoked_at"])
    .execute();

  const perDay = new Map<string, UsageBucket>();
  for (let time = firstDay.getTime(); time <= lastDay.getTime(); time += DAY_MS)
    perDay.set(isoDay(new Date(time)), { credits: 0, generations: 0 });
  const perModel = new Map<string, UsageBucket>();
  const perKey = new Map<string, UsageBucket & { apiKeyId: string | null; name: string | null; revoked: boolean }>();
  const total: UsageBucket = { credits: 0, generations: 0 };
  const add = (bucket: UsageBucket, credits: number, generations: number) => {
    bucket.credits += credits;
    bucket.generations += generations;
  };
  for (const row of rows) {
    const credits = Number(row.credits);
    const generations = Number(row.generations);
    add(total, credits, generations);
    const day = perDay.get(row.day);
    if (day) add(day, credits, generations);
    const model = perModel.get(row.model_id) ?? { credits: 0, generations: 0 };
    perModel.set(row.model_id, model);
    add(model, credits, generations);
    const keyId = row.api_key_id ?? "";
    const key = perKey.get(keyId) ?? {
      apiKeyId: row.api_key_id,
      name: row.name,
      revoked: row.revoked_at !== null,
      credits: 0,
      generations: 0,
    };
    perKey.set(keyId, key);
    add(key, credits, generations);
  }
  const dearestFirst = <T extends UsageBucket>(a: T, b: T) => b.credits - a.credits || b.generations - a.generations;
  return {
    from: isoDay(firstDay),
    to: isoDay(lastDay),
    total,
    perDay: [...perDay].map(([day, bucket]) => ({ day, ...bucket })),
    perModel: [...perModel].map(([modelId, bucket]) => ({ modelId, ...bucket })).sort(dearestFirst),
    perKey: [...perKey.values()].sort(dearestFirst),
  };
}
