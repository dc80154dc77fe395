import { AppError } from "@animateimg/core";
import { creditsOwedError } from "./purchases";
import type { LedgerEntry, LedgerKind, Executor } from "@animateimg/db";

const CHECK_VIOLATION = "23514";
const UNIQUE_VIOLATION = "23505";
const pgCode = (error: unknown) => (error as { code?: string }).code;
const pgConstraint = (error: unknown) => (error as { constraint?: string }).constraint;

export async function getBalance(db: Executor, userId: string): Promise<number> {
  const row = await db.selectFrom("credit_balances").select("available").where("user_id", "=", userId).executeTakeFirst();
  return row?.available ?? 0;
}

interface InsertEntry {
  userId: string;
  kind: LedgerKind;
  amount: number;
  idempotencyKey: string;
  generationId?: string | null;
  reason?: string | null;
  actorUserId?: string | null;
}

/**
 * Inserts an entry once per idempotency key: a repeated call returns the entry the first one
 * wrote. A negative balance surfaces as PAYMENT_REQUIRED / insufficient_credits.
 */
async function insertEntry(db: Executor, entry: InsertEntry): Promise<{ entry: LedgerEntry; created: boolean }> {
  try {
    const inserted = await db
      .insertInto("credit_ledger")
      .values({
        user_id: entry.userId,
        kind: entry.kind,
        amount: entry.amount,
        idempotency_key: entry.idempotencyKey,
        generation_id: entry.generationId ?? null,
        reason: entry.reason ?? null,
        actor_user_id: entry.actorUserId ?? null,
      })
      .onConflict((oc) => oc.column("idempotency_key").doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { entry: inserted, created: true };
  } catch (error) {
    if (pgCode(error) === CHECK_VIOLATION && pgConstraint(error) === "credit_balances_available_not_negative") {
      throw new AppError("PAYMENT_REQUIRED", "You do not have enough credits for this. Buy credits or choose cheaper settings.", {
        reason: "insufficient_credits",
        cause: error,
      });
    }
    throw error;
  }
  const existing = await db
    .selectFrom("credit_ledger")
    .selectAll()
    .where("idempotency_key", "=", entry.idempotencyKey)
    .executeTakeFirstOrThrow();
  if (existing.user_id !== entry.userId || existing.kind !== entry.kind || existing.amount !== entry.amount) {
    throw new AppError("CONFLICT", `Idempotency key ${entry.idempotencyKey} was already used for a different entry.`, {
      reason: "ledger_key_reused",
      params: { key: entry.idempotencyKey },
    });
  }
  return { entry: existing, created: false };
}

export interface GrantCreditsOptions {
  userId: string;
  amount: number;
  kind: "grant" | "purchase" | "refund";
  idempotencyKey: string;
  reason: string;
  actorUserId?: string;
}

export async function grantCredits(db: Executor, options: GrantCreditsOptions) {
  if (!Number.isInteger(options.amount) || options.amount <= 0) {
    throw new AppError("BAD_REQUEST", "A grant must be a positive whole number of credits.", {
      reason: "invalid_grant_amount",
    });
  }
  return insertEntry(db, options);
}

/** Admin correction in either direction, with a reason. Cannot take a balance below zero. */
export async function adjustCredits(
  db: Executor,
  options: { userId: string; amount: number; reason: string; actorUserId: string; idempotencyKey: string },
) {
  if (!Number.isInteger(options.amount) || options.amount === 0) {
    throw new AppError("BAD_REQUEST", "An adjustment must be a non-zero whole number of credits.", {
      reason: "invalid_adjustment_amount",
    });
  }
  if (options.reason.trim().length < 3)
    throw new AppError("BAD_REQUEST", "Say why you are adjusting this balance.", {
      reason: "adjustment_reason_missing",
    });
  return insertEntry(db, { ...options, kind: "adjust" });
}

const reserveKey = (generationId: string) => `generation:${generationId}:reserve`;

/** Takes a generation's price out of the available balance. Idempotent on the generation id. */
export async function reserveCredits(db: Executor, options: { userId: string; generationId: string; amount: number }) {
  if (!Number.isInteger(options.amount) || options.amount <= 0) {
    throw new AppError("BAD_REQUEST", "A reservation must be a positive whole number of credits.", {
      reason: "invalid_reservation_amount",
    });
  }
  // An account that owes credits (a refund or dispute after they were spent) starts no new paid
  // work until it is settled. A reservation already made stays idempotent.
  const made = await db.selectFrom("credit_ledger").select("id").where("idempotency_key", "=", reserveKey(options.generationId)).executeTakeFirst();
  if (!made) {
    const standing = await db.selectFrom("credit_balances").select("owed").where("user_id", "=", options.userId).executeTakeFirst();
    if (standing && standing.owed > 0) throw creditsOwedError(standing.owed);
  }
  return insertEntry(db, {
    userId: options.userId,
    kind: "reserve",
    amount: -options.amount,
    generationId: options.generationId,
    idempotencyKey: reserveKey(options.generationId),
  });
}

/** Which of these generations already hold a reservation (their price is out of the balance). */
export async function findReservedGenerations(db: Executor, generationIds: readonly string[]): Promise<Set<string>> {
  if (generationIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("credit_ledger")
    .select("generation_id")
    .where("kind", "=", "reserve")
    .where("idempotency_key", "in", generationIds.map(reserveKey))
    .execute();
  return new Set(rows.map((row) => row.generation_id).filter((id): id is string => id !== null));
}

export type Settlement = "captured" | "released" | "nothing_reserved";

async function settle(db: Executor, generationId: string, kind: "capture" | "release"): Promise<Settlement> {
  const reservation = await db
    .selectFrom("credit_ledger")
    .select(["user_id", "amount"])
    .where("idempotency_key", "=", reserveKey(generationId))
    .executeTakeFirst();
  if (!reservation) return "nothing_reserved";
  // The account was deleted (its ledger rows are anonymous): there is no balance to settle into.
  if (reservation.user_id === null) return "nothing_reserved";
  const existing = await db
    .selectFrom("credit_ledger")
    .select("kind")
    .where("generation_id", "=", generationId)
    .where("kind", "in", ["capture", "release"])
    .executeTakeFirst();
  if (existing) return existing.kind === "capture" ? "captured" : "released";
  try {
    await insertEntry(db, {
      userId: reservation.user_id,
      kind,
      amount: kind === "capture" ? 0 : -reservation.amount,
      generationId,
      idempotencyKey: `generation:${generationId}:${kind}`,
    });
  } catch (error) {
    // The other settlement won a race: report what actually happened.
    if (pgCode(error) === UNIQUE_VIOLATION) return settle(db, generationId, kind);
    throw error;
  }
  return kind === "capture" ? "captured" : "released";
}

/** Settles a reservation as spent. Idempotent; a released reservation stays released. */
export function captureCredits(db: Executor, options: { generationId: string }): Promise<Settlement> {
  return settle(db, options.generationId, "capture");
}

/** Gives a reservation back. Idempotent; a captured reservation stays captured. */
export function releaseCredits(db: Executor, options: { generationId: string }): Promise<Settlement> {
  return settle(db, options.generationId, "release");
}

export async function listLedger(db: Executor, options: { userId: string; limit?: number }) {
  return db
    .selectFrom("credit_ledger")
    .selectAll()
    .where("user_id", "=", options.userId)
    .orderBy("id", "desc")
    .limit(options.limit ?? 50)
    .execute();
}
