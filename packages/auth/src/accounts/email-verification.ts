import { AppError } from "@animateimg/core";
import type { Db } from "@animateimg/db";
import { consumeRateLimit } from "@animateimg/rate-limit";
import type { AccountMail, RequestInfo } from "../account-context";
import { consumeEmailToken } from "../email-tokens";
import { accountRateLimits, ipKey } from "../rate-limit-rules";
import { sendEmailChangedNotice, sendVerificationEmail } from "./send-account-emails";

/** Sends a fresh verification link (the previous one stops working). */
export async function requestEmailVerification(
  db: Db,
  options: AccountMail & { userId: string; request: RequestInfo; now?: Date },
): Promise<{ alreadyVerified: boolean }> {
  const now = options.now ?? new Date();
  await consumeRateLimit(db, { ...accountRateLimits.verificationPerIp(ipKey(options.request.ip)), now });
  await consumeRateLimit(db, { ...accountRateLimits.verificationPerAccount(options.userId), now });
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "name", "email_verified_at"])
    .where("id", "=", options.userId)
    .executeTakeFirstOrThrow();
  if (user.email_verified_at) return { alreadyVerified: true };
  await sendVerificationEmail(db, { mailer: options.mailer, appUrl: options.appUrl, user, now });
  return { alreadyVerified: false };
}

/**
 * Follows a link from a verification or email-change message. A change takes effect only
 * here, once the new inbox is proven, and the old address is told.
 */
export async function verifyEmailToken(
  db: Db,
  options: AccountMail & { token: string; request: RequestInfo; now?: Date },
): Promise<{ kind: "verify_email" | "change_email"; email: string; userId: string }> {
  const now = options.now ?? new Date();
  await consumeRateLimit(db, { ...accountRateLimits.tokenUsePerIp(ipKey(options.request.ip)), now });
  const result = await db.transaction().execute(async (trx) => {
    const token = await consumeEmailToken(trx, { token: options.token, kinds: ["verify_email", "change_email"], now });
    const user = await trx
      .selectFrom("users")
      .select(["id", "email", "name", "locale"])
      .where("id", "=", token.userId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (token.kind === "verify_email") {
      if (user.email.toLowerCase() !== token.email.toLowerCase()) {
        throw new AppError("BAD_REQUEST", "This link was for an email address your account no longer uses.", {
          reason: "link_for_old_email",
        });
      }
      await trx
        .updateTable("users")
        .set({ email_verified_at: now, updated_at: now })
        .where("id", "=", user.id)
        .execute();
      return { kind: "verify_email" as const, email: user.email, userId: user.id, previous: null };
    }
    const taken = await trx
      .selectFrom("users")
      .select("id")
      .where("email", "=", token.email)
      .where("id", "!=", user.id)
      .executeTakeFirst();
    if (taken) {
      throw new AppError("CONFLICT", "Another account now uses this email address, so it cannot be moved to yours.", {
        reason: "new_email_taken",
      });
    }
    await trx
      .updateTable("users")
      .set({ email: token.email, email_verified_at: now, updated_at: now })
      .where("id", "=", user.id)
      .execute();
    return {
      kind: "change_email" as const,
      email: token.email,
      userId: user.id,
      previous: { email: user.email, name: user.name, locale: user.locale },
    };
  });
  if (result.previous) {
    await sendEmailChangedNotice({
      mailer: options.mailer,
      appUrl: options.appUrl,
      oldEmail: result.previous.email,
      newEmail: result.email,
      name: result.previous.name,
      locale: result.previous.locale,
    });
  }
  return { kind: result.kind, email: result.email, userId: result.userId };
}
