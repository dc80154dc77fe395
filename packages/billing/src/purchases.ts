// Money in and out of the ledger. A purchase row carries the processor, its reference, the
// amount, the currency and the plan: nothing else about the payment. Which processor it was
// is a label here; nothing in this file depends on it.
import { AppError } from "@animateimg/core";
import { inTransaction, sql, type Database, type Transaction, type Executor } from "@animateimg/db";

export type PaymentProcessorLabel = "stripe" | "creem";

/** Locks the user's balance row (creating it at zero): money changes for one user run one at a time. */
async function lockBalance(trx: Transaction<Database>, userId: string): Promise<{ available: number; owed: number }> {
  await trx
    .insertInto("credit_balances")
    .values({ user_id: userId })
    .onConflict((oc) => oc.column("user_id").doNothing())
    .execute();
  return trx
    .selectFrom("credit_balances")
    .select(["available", "owed"])
    .where("user_id", "=", userId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export interface CreditStanding {
  available: number;
  /** Credits a refund or dispute could not take back; paid work waits until this is 0. */
  owed: number;
}

export async function getCreditStanding(db: Executor, userId: string): Promise<CreditStanding> {
  const row = await db
    .selectFrom("credit_balances")
    .select(["available", "owed"])
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return { available: row?.available ?? 0, owed: row?.owed ?? 0 };
}

/** The error every paid-work entry point throws while an account owes credits. */
export function creditsOwedError(owed: number): AppError {
  return new AppError(
    "PAYMENT_REQUIRED",
    `Your account owes ${owed} credits after a refund or dispute. Buy credits to settle it before starting paid work.`,
    {
      reason: "credits_owed",
      params: { owed },
    },
  );
}

export interface RecordPurchaseOptions {
  userId: string;
  credits: number;
  processor: PaymentProcessorLabel;
  /** The processor's id of what was paid: payment intent, invoice or order. */
  reference: string;
  /** Minor units (cents). */
  amount: number;
  currency: string;
  /** The offer bought: a pack or a plan id. */
  plan: string;
  idempotencyKey: string;
}

/**
 * Adds purchased credits once per idempotency key. If the account owes credits, the new
 * credits settle that first (a reversal row and a settling debt row, same transaction).
 */
export async function recordPurchase(
  db: Executor,
  options: RecordPurchaseOptions,
): Promise<{ created: boolean; settledOwed: number }> {
  if (!Number.isInteger(options.credits) || options.credits <= 0)
    throw new AppError("BAD_REQUEST", "A purchase must add a positive whole number of credits.", {
      reason: "invalid_purchase_amount",
    });
  return inTransaction(db, async (trx) => {
    await lockBalance(trx, options.userId);
    const inserted = await trx
      .insertInto("credit_ledger")
      .values({
        user_id: options.userId,
        kind: "purchase",
        amount: options.credits,
        idempotency_key: options.idempotencyKey,
        payment_processor: options.processor,
        payment_reference: options.reference,
        payment_amount: options.amount,
        payment_currency: options.currency.toLowerCase(),
        payment_plan: options.plan,
      })
      .onConflict((oc) => oc.column("idempotency_key").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!inserted) return { created: false, settledOwed: 0 };
    const standing = await lockBalance(trx, options.userId);
    const settle = Math.min(standing.owed, standing.available);
    if (settle > 0) {
      await trx
        .insertInto("credit_ledger")
        .values({
          user_id: options.userId,
          kind: "reversal",
          amount: -settle,
          idempotency_key: `${options.idempotencyKey}:settles-owed`,
          reason: "settles_owed",
          payment_processor: options.processor,
          payment_reference: options.reference,
        })
        .execute();
      await trx
        .insertInto("credit_debts")
        .values({
          user_id: options.userId,
          amount: -settle,
          idempotency_key: `${options.idempotencyKey}:settles-owed`,
          payment_processor: options.processor,
          payment_reference: options.reference,
          reason: "settles_owed",
        })
        .execute();
    }
    return { created: true, settledOwed: settle };
  });
}

export interface ReversePurchaseOptions {
  userId: string;
  processor: PaymentProcessorLabel;
  reference: string;
  /** How much of the payment is now refunded or disputed, as a fraction of what was paid (0–1]. */
  fractionTakenBack: number;
  /** refund | dispute: kept as the rows' reason code. */
  cause: "refund" | "dispute";
}

/**
 * Takes back the credits a refunded or disputed payment bought, as far as the payment's
 * current state says. Unspent credits leave the balance (a reversal row); what was already
 * spent becomes owed (a debt row), because the balance never goes below zero. Calling it again
 * with the same or a smaller fraction changes nothing, so out-of-order and repeated events
 * are harmless. Credits a won dispute gave back (reinstateDisputedCredits) no longer count as
 * taken, so a refund after a won dispute takes its share again.
 */
export async function reversePurchase(
  db: Executor,
  options: ReversePurchaseOptions,
): Promise<{ reversed: number; owed: number; purchased: number }> {
  return inTransaction(db, async (trx) => {
    const standing = await lockBalance(trx, options.userId);
    const purchased = await trx
      .selectFrom("credit_ledger")
      .select(sql<number>`coalesce(sum(amount), 0)::bigint`.as("credits"))
      .where("user_id", "=", options.userId)
      .where("kind", "=", "purchase")
      .where("payment_processor", "=", options.processor)
      .where("payment_reference", "=", options.reference)
      .executeTakeFirstOrThrow();
    const fraction = Math.min(1, Math.max(0, options.fractionTakenBack));
    const target = Math.floor(purchased.credits * fraction + 1e-9);
    const taken = await takenBackSoFar(trx, options);
    const missing = target - taken.fromBalance - taken.owed;
    if (missing <= 0) return { reversed: 0, owed: 0, purchased: purchased.credits };
    const take = Math.min(missing, standing.available);
    const owe = missing - take;
    // Unique per step: the rows already written for this payment number the step, so a later
    // step that reaches the same target (a refund after a won dispute) gets keys of its own.
    const key = `${options.processor}:${options.reference}:taken-back:${target}:step-${taken.rows}`;
    if (take > 0) {
      await trx
        .insertInto("credit_ledger")
        .values({
          user_id: options.userId,
          kind: "reversal",
          amount: -take,
          idempotency_key: `${key}:reversal`,
          reason: options.cause,
          payment_processor: options.processor,
          payment_reference: options.reference,
        })
        .execute();
    }
    if (owe > 0) {
      await trx
        .insertInto("credit_debts")
        .values({
          user_id: options.userId,
          amount: owe,
          idempotency_key: `${key}:owed`,
          payment_processor: options.processor,
          payment_reference: options.reference,
          reason: options.cause,
        })
        .execute();
    }
    return { reversed: take, owed: owe, purchased: purchased.credits };
  });
}

/**
 * What refunds and disputes have taken back from one payment so far, net of what a won dispute
 * gave back: from the balance (reversal rows less dispute_won rows) and as debt (rows raised
 * for this payment less those a won dispute cancelled; a settlement carries the reference of
 * the purchase that paid it, so it does not appear here).
 */
async function takenBackSoFar(
  trx: Transaction<Database>,
  options: { userId: string; processor: PaymentProcessorLabel; reference: string },
): Promise<{ fromBalance: number; owed: number; rows: number }> {
  const ledger = await trx
    .selectFrom("credit_ledger")
    .select([sql<number>`coalesce(-sum(amount), 0)::bigint`.as("credits"), sql<number>`count(*)::int`.as("rows")])
    .where("user_id", "=", options.userId)
    .where((eb) =>
      eb.or([
        eb.and([eb("kind", "=", "reversal"), eb("reason", "in", ["refund", "dispute"])]),
        eb.and([eb("kind", "=", "adjust"), eb("reason", "=", "dispute_won")]),
      ]),
    )
    .where("payment_processor", "=", options.processor)
    .where("payment_reference", "=", options.reference)
    .executeTakeFirstOrThrow();
  const debts = await trx
    .selectFrom("credit_debts")
    .select([sql<number>`coalesce(sum(amount), 0)::bigint`.as("credits"), sql<number>`count(*)::int`.as("rows")])
    .where("user_id", "=", options.userId)
    .where((eb) => eb.or([eb("amount", ">", 0), eb("reason", "=", "dispute_won")]))
    .where("payment_processor", "=", options.processor)
    .where("payment_reference", "=", options.reference)
    .executeTakeFirstOrThrow();
  return { fromBalance: Number(ledger.credits), owed: Number(debts.credits), rows: ledger.rows + debts.rows };
}

/**
 * A dispute the merchant won: the payment is ours again, so what that dispute took comes back
 * (refunds stay taken). Owed credits are cancelled first (the dispute raised them, or they are
 * owed anyway and these credits would settle them), the rest returns to the balance as an
 * `adjust` row with reason dispute_won naming the payment. Idempotent: what was given back is
 * read from the rows, so a repeated or late event gives back nothing more.
 */
export async function reinstateDisputedCredits(
  db: Executor,
  options: { userId: string; processor: PaymentProcessorLabel; reference: string },
): Promise<{ returned: number; owedCancelled: number }> {
  return inTransaction(db, async (trx) => {
    const standing = await lockBalance(trx, options.userId);
    const ledgerSum = async (kind: "reversal" | "adjust", reason: "dispute" | "dispute_won") => {
      const row = await trx
        .selectFrom("credit_ledger")
        .select(sql<number>`coalesce(sum(amount), 0)::bigint`.as("credits"))
        .where("user_id", "=", options.userId)
        .where("payment_processor", "=", options.processor)
        .where("payment_reference", "=", options.reference)
        .where("kind", "=", kind)
        .where("reason", "=", reason)
        .executeTakeFirstOrThrow();
      return Number(row.credits);
    };
    const debtSum = async (reason: "dispute" | "dispute_won") => {
      const row = await trx
        .selectFrom("credit_debts")
        .select(sql<number>`coalesce(sum(amount), 0)::bigint`.as("credits"))
        .where("user_id", "=", options.userId)
        .where("payment_processor", "=", options.processor)
        .where("payment_reference", "=", options.reference)
        .where("reason", "=", reason)
        .executeTakeFirstOrThrow();
      return Number(row.credits);
    };
    const disputeTaken = -(await ledgerSum("reversal", "dispute"));
    const disputeOwed = await debtSum("dispute");
    const returnedBefore = await ledgerSum("adjust", "dispute_won");
    const cancelledBefore = -(await debtSum("dispute_won"));
    const due = disputeTaken + disputeOwed - returnedBefore - cancelledBefore;
    if (due <= 0) return { returned: 0, owedCancelled: 0 };
    const cancel = Math.min(due, standing.owed);
    const give = due - cancel;
    const key = `${options.processor}:${options.reference}:dispute-won:${returnedBefore + cancelledBefore}`;
    if (cancel > 0) {
      await trx
        .insertInto("credit_debts")
        .values({
          user_id: options.userId,
          amount: -cancel,
          idempotency_key: `${key}:owed-cancelled`,
          payment_processor: options.processor,
          payment_reference: options.reference,
          reason: "dispute_won",
        })
        .execute();
    }
    if (give > 0) {
      await trx
        .insertInto("credit_ledger")
        .values({
          user_id: options.userId,
          kind: "adjust",
          amount: give,
          idempotency_key: `${key}:returned`,
          reason: "dispute_won",
          payment_processor: options.processor,
          payment_reference: options.reference,
        })
        .execute();
    }
    return { returned: give, owedCancelled: cancel };
  });
}

/** The purchase rows of one payment (a refund needs to know whom it paid for). */
export async function findPurchase(db: Executor, options: { processor: PaymentProcessorLabel; reference: string }) {
  return db
    .selectFrom("credit_ledger")
    .select(["user_id", "amount", "payment_plan", "payment_amount", "payment_currency"])
    .where("kind", "=", "purchase")
    .where("payment_processor", "=", options.processor)
    .where("payment_reference", "=", options.reference)
    .executeTakeFirst();
}
