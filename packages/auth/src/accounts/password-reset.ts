import { AppError } from "@animateimg/core";
import type { Db } from "@animateimg/db";
import { consumeRateLimit } from "@animateimg/rate-limit";
import { normalizeEmail, type AccountMail, type RequestInfo } from "../account-context";
import { consumeEmailToken, peekEmailToken } from "../email-tokens";
import { hashPassword } from "../password";
import { assertPasswordAllowed } from "../password-policy";
import { accountRateLimits, ipKey } from "../rate-limit-rules";
import { invalidateUserSessions } from "../sessions";
import { sendPasswordResetEmail } from "./send-account-emails";

/**
 * Emails a reset link if the address belongs to an account. The answer is the same either
 * way, so the form cannot be used to find out who has an account.
 */
export async function requestPasswordReset(
  db: Db,
  options: AccountMail & { email: string; request: RequestInfo; now?: Date },
): Promise<void> {
  const now = options.now ?? new Date();
  const email = normalizeEmail(options.email);
  await consumeRateLimit(db, { ...accountRateLimits.resetRequestPerIp(ipKey(options.request.ip)), now });
  await consumeRateLimit(db, { ...accountRateLimits.resetRequestPerAccount(email), now });
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "name"])
    .where("email", "=", email)
    .executeTakeFirst();
  if (!user) return;
  await sendPasswordResetEmail(db, { mailer: options.mailer, appUrl: options.appUrl, user, now });
}

/**
 * Sets a new password from a reset link (single use, one hour) and signs out every session:
 * whoever knew the old password is locked out. Following the link also proves the inbox.
 */
export async function resetPassword(
  db: Db,
  options: { token: string; newPassword: string; request: RequestInfo; now?: Date },
): Promise<{ userId: string }> {
  const now = options.now ?? new Date();
  await consumeRateLimit(db, { ...accountRateLimits.tokenUsePerIp(ipKey(options.request.ip)), now });
  // Check the password before using the token up, so a refused password keeps the link working.
  const pending = await peekEmailToken(db, { token: options.token, kinds: ["reset_password"], now });
  assertPasswordAllowed(options.newPassword, { email: pending.email, field: "newPassword" });
  const passwordHash = await hashPassword(options.newPassword);
  return db.transaction().execute(async (trx) => {
    const token = await consumeEmailToken(trx, { token: options.token, kinds: ["reset_password"], now });
    const updated = await trx
      .updateTable("users")
      .set((eb) => ({
        password_hash: passwordHash,
        email_verified_at: eb.fn.coalesce("email_verified_at", eb.val(now)),
        updated_at: now,
      }))
      .where("id", "=", token.userId)
      .where("email", "=", token.email)
      .executeTakeFirst();
    // The account's address changed after the link was sent: the link proves nothing now.
    if (Number(updated.numUpdatedRows) === 0) {
      throw new AppError("BAD_REQUEST", "This link was sent to an address your account no longer uses.", {
        reason: "reset_link_for_old_email",
      });
    }
    await invalidateUserSessions(trx, { userId: token.userId });
    return { userId: token.userId };
  });
}
