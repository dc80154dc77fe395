import { AppError } from "@animateimg/core";
import { creditsOwedError } from "./purchases";
import type { LedgerEntry, LedgerKind, Executor } from "@animateimg/db";

const CHECK_VIOLATION = "23514";
const pgCode = (error: unknown) => (error as { code?: string }).code;
const pgConstraint = (error: unknown) => (error as { constraint?: string }).constraint;

export async function getBalance(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom("credit_balances")
    .select("available")
    .where("user_id", "=", userId)
    .executeTakeFirst();
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
    throw insufficientCreditsOr(error);
  }
  const existing = await db
    .selectFrom("credit_ledger")
    .selectAll()
    .where("idempotency_key", "=", entry.idempotencyKey)
    .executeTakeFirstOrThrow();
  return { entry: sameEntryOrConflict(existing, entry), created: false };
}

/** The overdraft CHECK as PAYMENT_REQUIRED / insufficient_credits; any other error as it is. */
function insufficientCreditsOr(error: unknown): unknown {
  if (pgCode(error) === CHECK_VIOLATION && pgConstraint(error) === "credit_balances_available_not_negative") {
    return new AppError(
      "PAYMENT_REQUIRED",
      "You do not have enough credits for this. Buy credits or choose cheaper settings.",
      {
        reason: "insufficient_credits",
        cause: error,
      },
    );
  }
  return error;
}

/** A replayed idempotency key must describe the same entry. */
function sameEntryOrConflict(
  existing: LedgerEntry,
  entry: Pick<InsertEntry, "userId" | "kind" | "amount" | "idempotencyKey">,
): LedgerEntry {
  if (existing.user_id !== entry.userId || existing.kind !== entry.kind || existing.amount !== entry.amount) {
    throw new AppError("CONFLICT", `Idempotency key ${entry.idempotencyKey} was already used for a different entry.`, {
      reason: "ledger_key_reused",
      params: { key: entry.idempotencyKey },
    });
  }
  return existing;
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
const settlementKey = (generationId: string, kind: "capture" | "release") => `generation:${generationId}:${kind}`;

// Reserve, capture and release are the hot path: one user's balance row is what all of their
// generations contend for. Each is therefore one statement in its own short transaction
// (autocommit, or the caller's), one round trip, and the balance row is locked only from the
// trigger's UPDATE to the commit. The database still decides everything that must hold under
// concurrency: the CHECK on credit_balances refuses an overdraft, the unique idempotency key
// makes a replay a no-op, and the partial unique index on settlements lets only one of a racing
// capture and release in. A second read happens only off the common path (a replay, a refusal),
// to say what happened.

/** Takes a generation's price out of the available balance. Idempotent on the generation id. */
export async function reserveCredits(
  db: Executor,
  options: { userId: string; generationId: string; amount: number },
): Promise<{ entry: LedgerEntry; created: boolean }> {
  if (!Number.isInteger(options.amount) || options.amount <= 0) {
    throw new AppError("BAD_REQUEST", "A reservation must be a positive whole number of credits.", {
      reason: "invalid_reservation_amount",
    });
  }
  const key = reserveKey(options.generationId);
  let inserted: LedgerEntry | undefined;
  try {
    // An account that owes credits (a refund or dispute after they were spent) starts no new
    // paid work until it is settled: the row is inserted only while nothing is owed.
    inserted = await db
      .insertInto("credit_ledger")
      .columns(["user_id", "kind", "amount", "idempotency_key", "generation_id"])
      .expression(
        db
          .selectNoFrom((eb) => [
            // Cast: the values of an INSERT … SELECT are not typed by the columns they fill.
            eb.cast(eb.val(options.userId), "uuid").as("user_id"),
            eb.val("reserve").as("kind"),
            eb.cast(eb.val(-options.amount), "bigint").as("amount"),
            eb.val(key).as("idempotency_key"),
            eb.cast(eb.val(options.generationId), "uuid").as("generation_id"),
          ])
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom("credit_balances")
                  .select("user_id")
                  .where("user_id", "=", options.userId)
                  .where("owed", ">", 0),
              ),
            ),
          ),
      )
      .onConflict((oc) => oc.column("idempotency_key").doNothing())
      .returningAll()
      .executeTakeFirst();
  } catch (error) {
    throw insufficientCreditsOr(error);
  }
  if (inserted) return { entry: inserted, created: true };
  // Nothing inserted: made before (a replay; a reservation already made stands, owed or not),
  // or the account owes credits.
  const existing = await db
    .selectFrom("credit_ledger")
    .selectAll()
    .where("idempotency_key", "=", key)
    .executeTakeFirst();
  if (existing) {
    return {
      entry: sameEntryOrConflict(existing, {
        userId: options.userId,
        kind: "reserve",
        amount: -options.amount,
        idempotencyKey: key,
      }),
      created: false,
    };
  }
  const standing = await db
    .selectFrom("credit_balances")
    .select("owed")
    .where("user_id", "=", options.userId)
    .executeTakeFirst();
  if (standing && standing.owed > 0) throw creditsOwedError(standing.owed);
  // The debt was settled between the two reads: ask again (a debt is rare, so this does not spin).
  return reserveCredits(db, options);
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
  // The settlement row is made from the reservation row in the same statement: a capture moves
  // nothing, a release gives the reserved amount back. No reservation, or an anonymous one (the
  // account was deleted: there is no balance to settle into), inserts nothing.
  const made = await db
    .insertInto("credit_ledger")
    .columns(["user_id", "kind", "amount", "idempotency_key", "generation_id"])
    .expression(
      db
        .selectFrom("credit_ledger as reservation")
        .select((eb) => [
          "reservation.user_id",
          eb.val(kind).as("kind"),
          (kind === "capture" ? eb.cast(eb.val(0), "bigint") : eb.neg(eb.ref("reservation.amount"))).as("amount"),
          eb.val(settlementKey(generationId, kind)).as("idempotency_key"),
          eb.cast(eb.val(generationId), "uuid").as("generation_id"),
        ])
        .where("reservation.idempotency_key", "=", reserveKey(generationId))
        .where("reservation.user_id", "is not", null),
    )
    // No conflict target, so every unique index counts: the idempotency key (this settlement
    // again) and the one-settlement index (the other settlement won a race) both end in
    // "nothing inserted" rather than an error.
    .onConflict((oc) => oc.doNothing())
    .returning("kind")
    .executeTakeFirst();
  if (made) return kind === "capture" ? "captured" : "released";
  // Nothing inserted: say what happened. No usable reservation: nothing reserved; otherwise the
  // settlement that is there (this one replayed, or the other one that won).
  const found = await db
    .selectFrom("credit_ledger")
    .select(["kind", "user_id"])
    .where((eb) =>
      eb.or([
        eb("idempotency_key", "in", [
          reserveKey(generationId),
          settlementKey(generationId, "capture"),
          settlementKey(generationId, "release"),
        ]),
        eb.and([eb("generation_id", "=", generationId), eb("kind", "in", ["capture", "release"])]),
      ]),
    )
    .execute();
  if (!found.some((row) => row.kind === "reserve" && row.user_id !== null)) return "nothing_reserved";
  const settlement = found.find((row) => row.kind === "capture" || row.kind === "release");
  if (!settlement) throw new Error(`generation ${generationId}: its reservation was neither settled now nor before`);
  return settlement.kind === "capture" ? "captured" : "released";
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
