import { accountRateLimits, verifyPassword } from "@animateimg/auth";
import { AppError } from "@animateimg/core";
import type { Db } from "@animateimg/db";
import { consumeRateLimit } from "@animateimg/rate-limit";
import {
  defaultAccountDeletionSettings,
  type AccountDeletionSettings,
  type AccountErasureScheduler,
} from "./deletion-settings";
import { getAccountDeletionStatus, type AccountDeletionStatus } from "./get-account-deletion-status";

export interface RequestAccountDeletionOptions {
  userId: string;
  /** The session making the request: for accounts without a password it must be fresh. */
  sessionId: string;
  /** Required when the account has a password. */
  password?: string;
  settings?: AccountDeletionSettings;
  now?: Date;
}

/** Proves the person at the keyboard is the owner: their password, or a sign-in minutes ago. */
async function assertReauthenticated(
  db: Db,
  options: RequestAccountDeletionOptions & { now: Date; settings: AccountDeletionSettings },
): Promise<void> {
  const user = await db
    .selectFrom("users")
    .select(["password_hash"])
    .where("id", "=", options.userId)
    .executeTakeFirst();
  if (!user) throw new AppError("NOT_FOUND", "This account no longer exists.", { reason: "account_not_found" });
  if (user.password_hash !== null) {
    await consumeRateLimit(db, { ...accountRateLimits.passwordCheckPerAccount(options.userId), now: options.now });
    if (!options.password || !(await verifyPassword(user.password_hash, options.password))) {
      const message = "That password is not correct. Your account was not scheduled for deletion.";
      throw new AppError("BAD_REQUEST", message, { reason: "wrong_password", fieldErrors: { password: [message] } });
    }
    return;
  }
  const session = await db
    .selectFrom("sessions")
    .select("created_at")
    .where("id", "=", options.sessionId)
    .where("user_id", "=", options.userId)
    .executeTakeFirst();
  if (!session || options.now.getTime() - session.created_at.getTime() > options.settings.reauthenticationWindowMs) {
    throw new AppError(
      "PRECONDITION_FAILED",
      "To confirm it is you, sign in again with GitHub or Google, then ask for deletion within a few minutes.",
      { reason: "reauthentication_required" },
    );
  }
}

/**
 * Schedules the deletion of the caller's own account after the grace period. Asking again
 * while one is scheduled changes nothing (the first date stands). The erasure itself is the
 * scheduler's workflow; if it cannot be started, nothing stays scheduled.
 */
export async function requestAccountDeletion(
  db: Db,
  deps: { scheduler: AccountErasureScheduler },
  options: RequestAccountDeletionOptions,
): Promise<AccountDeletionStatus> {
  const now = options.now ?? new Date();
  const settings = options.settings ?? defaultAccountDeletionSettings;
  await assertReauthenticated(db, { ...options, now, settings });
  const inserted = await db
    .insertInto("account_deletion_requests")
    .values({
      user_id: options.userId,
      reason: "self_service",
      requested_at: now,
      erase_after: new Date(now.getTime() + settings.gracePeriodMs),
      requested_by: null,
    })
    .onConflict((oc) => oc.column("user_id").doNothing())
    .returning("user_id")
    .executeTakeFirst();
  try {
    await deps.scheduler.schedule({ userId: options.userId });
  } catch (error) {
    // Without its workflow the request would sit there and never run: undo it and say so.
    if (inserted)
      await db
        .deleteFrom("account_deletion_requests")
        .where("user_id", "=", options.userId)
        .where("status", "=", "scheduled")
        .execute();
    throw new AppError(
      "SERVICE_UNAVAILABLE",
      "Your account could not be scheduled for deletion just now. Please try again in a minute.",
      {
        reason: "deletion_not_scheduled",
        cause: error,
      },
    );
  }
  return getAccountDeletionStatus(db, { userId: options.userId, sessionId: options.sessionId, settings, now });
}
