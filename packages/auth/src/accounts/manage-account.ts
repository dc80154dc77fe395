import { AppError } from "@animateimg/core";
import type { Db, OAuthProviderName, Executor } from "@animateimg/db";
import { consumeRateLimit } from "@animateimg/rate-limit";
import { normalizeEmail, type AccountMail } from "../account-context";
import { describeIpLocation, describeUserAgent } from "../describe-user-agent";
import { hashPassword, verifyPassword } from "../password";
import { assertPasswordAllowed } from "../password-policy";
import { accountRateLimits } from "../rate-limit-rules";
import { invalidateUserSessions } from "../sessions";
import { sendChangeEmailConfirmation } from "./send-account-emails";
import { assertValidEmail, assertValidName } from "./sign-up";

export interface AccountOverview {
  id: string;
  email: string;
  name: string;
  role: "user" | "admin";
  emailVerified: boolean;
  avatarUrl: string | null;
  hasPassword: boolean;
  createdAt: Date;
  linkedProviders: Array<{ provider: OAuthProviderName; email: string | null; linkedAt: Date }>;
}

export async function getAccount(db: Executor, options: { userId: string }): Promise<AccountOverview> {
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "name", "role", "email_verified_at", "avatar_url", "password_hash", "created_at"])
    .where("id", "=", options.userId)
    .executeTakeFirst();
  if (!user) throw new AppError("NOT_FOUND", "This account no longer exists.", { reason: "account_not_found" });
  const providers = await db
    .selectFrom("oauth_accounts")
    .select(["provider", "email", "created_at"])
    .where("user_id", "=", options.userId)
    .orderBy("provider")
    .execute();
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    emailVerified: user.email_verified_at !== null,
    avatarUrl: user.avatar_url,
    hasPassword: user.password_hash !== null,
    createdAt: user.created_at,
    linkedProviders: providers.map((p) => ({ provider: p.provider, email: p.email, linkedAt: p.created_at })),
  };
}

export async function updateProfile(db: Db, options: { userId: string; name: string; now?: Date }): Promise<void> {
  const name = assertValidName(options.name);
  await db
    .updateTable("users")
    .set({ name, updated_at: options.now ?? new Date() })
    .where("id", "=", options.userId)
    .execute();
}

/** The language the person's emails are written in, kept in step with the language they read the site in. */
export async function setEmailLocale(
  db: Db,
  options: { userId: string; locale: "en" | "es"; now?: Date },
): Promise<void> {
  await db
    .updateTable("users")
    .set({ locale: options.locale, updated_at: options.now ?? new Date() })
    .where("id", "=", options.userId)
    .execute();
}

async function assertCurrentPassword(
  db: Db,
  options: { userId: string; passwordHash: string | null; currentPassword: string | undefined; now: Date },
): Promise<void> {
  if (options.passwordHash === null) return; // OAuth-only accounts have no password to confirm yet.
  await consumeRateLimit(db, { ...accountRateLimits.passwordCheckPerAccount(options.userId), now: options.now });
  if (!options.currentPassword || !(await verifyPassword(options.passwordHash, options.currentPassword))) {
    const message = "Your current password is not correct.";
    throw new AppError("BAD_REQUEST", message, {
      reason: "wrong_current_password",
      fieldErrors: { currentPassword: [message] },
    });
  }
}

/**
 * Changes (or, for an account made with GitHub/Google, sets) the password, and signs out
 * every other session: a thief holding one is locked out.
 */
export async function changePassword(
  db: Db,
  options: { userId: string; currentSessionId: string; currentPassword?: string; newPassword: string; now?: Date },
): Promise<{ signedOutSessions: number }> {
  const now = options.now ?? new Date();
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "name", "password_hash"])
    .where("id", "=", options.userId)
    .executeTakeFirstOrThrow();
  await assertCurrentPassword(db, {
    userId: user.id,
    passwordHash: user.password_hash,
    currentPassword: options.currentPassword,
    now,
  });
  assertPasswordAllowed(options.newPassword, { email: user.email, name: user.name, field: "newPassword" });
  const passwordHash = await hashPassword(options.newPassword);
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable("users")
      .set({ password_hash: passwordHash, updated_at: now })
      .where("id", "=", user.id)
      .execute();
    const signedOutSessions = await invalidateUserSessions(trx, {
      userId: user.id,
      exceptSessionId: options.currentSessionId,
    });
    return { signedOutSessions };
  });
}

/**
 * Starts an email change: the new address gets a confirmation link and the account keeps
 * its current address until that link is followed.
 */
export async function requestEmailChange(
  db: Db,
  options: AccountMail & { userId: string; newEmail: string; currentPassword?: string; now?: Date },
): Promise<{ pendingEmail: string }> {
  const now = options.now ?? new Date();
  const newEmail = normalizeEmail(options.newEmail);
  assertValidEmail(newEmail);
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "name", "password_hash"])
    .where("id", "=", options.userId)
    .executeTakeFirstOrThrow();
  await assertCurrentPassword(db, {
    userId: user.id,
    passwordHash: user.password_hash,
    currentPassword: options.currentPassword,
    now,
  });
  await consumeRateLimit(db, { ...accountRateLimits.verificationPerAccount(user.id), now });
  if (newEmail.toLowerCase() === user.email.toLowerCase()) {
    const message = "This is already your email address.";
    throw new AppError("BAD_REQUEST", message, { reason: "same_email", fieldErrors: { newEmail: [message] } });
  }
  const taken = await db.selectFrom("users").select("id").where("email", "=", newEmail).executeTakeFirst();
  if (taken) {
    const message = "Another account already uses this email address.";
    throw new AppError("CONFLICT", message, { reason: "email_in_use", fieldErrors: { newEmail: [message] } });
  }
  await sendChangeEmailConfirmation(db, { mailer: options.mailer, appUrl: options.appUrl, user, newEmail, now });
  return { pendingEmail: newEmail };
}

export interface SessionListItem {
  id: string;
  current: boolean;
  browser: string;
  os: string;
  ip: string | null;
  place: string | null;
  createdAt: Date;
  lastSeenAt: Date;
}

export async function listAccountSessions(
  db: Executor,
  options: { userId: string; currentSessionId: string; now?: Date },
): Promise<SessionListItem[]> {
  const now = options.now ?? new Date();
  const rows = await db
    .selectFrom("sessions")
    .select(["id", "user_agent", "ip", "created_at", "last_seen_at"])
    .where("user_id", "=", options.userId)
    .where("expires_at", ">", now)
    .where("absolute_expires_at", ">", now)
    .orderBy("last_seen_at", "desc")
    .execute();
  return rows.map((row) => {
    const device = describeUserAgent(row.user_agent);
    return {
      id: row.id,
      current: row.id === options.currentSessionId,
      browser: device.browser,
      os: device.os,
      ip: row.ip,
      place: describeIpLocation(row.ip),
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
    };
  });
}

/** Revokes one of the user's own sessions; another user's session id is simply not found. */
export async function revokeAccountSession(
  db: Executor,
  options: { userId: string; sessionId: string },
): Promise<void> {
  const result = await db
    .deleteFrom("sessions")
    .where("id", "=", options.sessionId)
    .where("user_id", "=", options.userId)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) {
    throw new AppError("NOT_FOUND", "This session has already ended.", { reason: "session_not_found" });
  }
}
