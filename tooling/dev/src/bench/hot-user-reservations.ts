// hotUserReservationsPerSec: reserve → capture (or release, every other one) for ONE user's
// balance, `concurrency` at once, all contending for the same balance row. The balance is read
// throughout and at the end and must never be negative; the ledger must add up.
import { captureCredits, getBalance, grantCredits, releaseCredits, reserveCredits } from "@animateimg/billing";
import type { Db } from "@animateimg/db";
import { insertQueuedGenerations } from "./fixtures";
import { runPool } from "./stats";

export interface HotUserFigures {
  reservationsPerSec: number;
  lowestBalanceSeen: number;
  refusedForCredits: number;
}

export async function measureHotUserReservations(options: {
  db: Db;
  userId: string;
  imageAssetId: string;
  count: number;
  concurrency: number;
}): Promise<HotUserFigures> {
  const { db, userId, imageAssetId, count, concurrency } = options;
  const amount = 3;
  // Enough for every capture (half of them) plus half the lanes in flight: towards the end
  // reservations meet the CHECK and are refused, so the overdraft guard is exercised under
  // contention, not only the happy path.
  const granted = amount * (Math.ceil(count / 2) + Math.max(1, Math.floor(concurrency / 2)));
  await grantCredits(db, {
    userId,
    amount: granted,
    kind: "grant",
    idempotencyKey: `bench-hot:${userId}`,
    reason: "bench",
  });
  // The ledger references generations: rows to reserve for.
  const ids = await insertQueuedGenerations(db, { userId, imageAssetId, count, priceCredits: amount });

  let lowest = Number.POSITIVE_INFINITY;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) lowest = Math.min(lowest, await getBalance(db, userId));
  })();
  let refused = 0;
  const started = performance.now();
  await runPool(count, concurrency, async (index) => {
    const generationId = ids[index]!;
    try {
      await reserveCredits(db, { userId, generationId, amount });
    } catch (error) {
      if ((error as { reason?: string }).reason === "insufficient_credits") return void (refused += 1);
      throw error;
    }
    if (index % 2 === 0) await captureCredits(db, { generationId });
    else await releaseCredits(db, { generationId });
  });
  const seconds = (performance.now() - started) / 1000;
  sampling = false;
  await sampler;
  const final = await getBalance(db, userId);
  lowest = Math.min(lowest, final);
  const captured = await db
    .selectFrom("credit_ledger")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("kind", "=", "capture")
    .executeTakeFirstOrThrow();
  if (lowest < 0) throw new Error(`the balance went negative (${lowest})`);
  if (final !== granted - captured.n * amount)
    throw new Error(`the ledger does not add up: balance ${final}, granted ${granted}, ${captured.n} captures`);
  return { reservationsPerSec: (count - refused) / seconds, lowestBalanceSeen: lowest, refusedForCredits: refused };
}
