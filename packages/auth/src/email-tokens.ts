import { AppError } from "@animateimg/core";
import type { EmailTokenKind, Executor } from "@animateimg/db";
import { generateSecureRandomString, sha256Hex } from "./random-token";

export const EMAIL_TOKEN_LIFETIME_MS: Record<EmailTokenKind, number> = {
  verify_email: 24 * 60 * 60 * 1000,
  change_email: 24 * 60 * 60 * 1000,
  reset_password: 60 * 60 * 1000,
};

export interface EmailTokenRecord {
  userId: string;
  kind: EmailTokenKind;
  email: string;
}

/**
 * A single-use token for a link in an email. Earlier unused tokens of the same kind are
 * retired, so only the newest link works. Only the token's SHA-256 is stored.
 */
export async function createEmailToken(
  db: Executor,
  options: { userId: string; kind: EmailTokenKind; email: string; now?: Date },
): Promise<string> {
  const now = options.now ?? new Date();
  await db
    .updateTable("email_tokens")
    .set({ used_at: now })
    .where("user_id", "=", options.userId)
    .where("kind", "=", options.kind)
    .where("used_at", "is", null)
    .execute();
  const token = generateSecureRandomString() + generateSecureRandomString();
  await db
    .insertInto("email_tokens")
    .values({
      id: sha256Hex(token),
      user_id: options.userId,
      kind: options.kind,
      email: options.email,
      created_at: now,
      expires_at: new Date(now.getTime() + EMAIL_TOKEN_LIFETIME_MS[options.kind]),
    })
    .execute();
  return token;
}

function invalidLink(): AppError {
  return new AppError("BAD_REQUEST", "This link has expired or has already been used. Please request a new one.", {
    reason: "invalid_token",
  });
}

/** Checks a token without using it up (e.g. before validating a new password). */
export async function peekEmailToken(
  db: Executor,
  options: { token: string; kinds: readonly EmailTokenKind[]; now?: Date },
): Promise<EmailTokenRecord> {
  const now = options.now ?? new Date();
  const row = await db
    .selectFrom("email_tokens")
    .select(["user_id", "kind", "email"])
    .where("id", "=", sha256Hex(options.token))
    .where("kind", "in", options.kinds)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  if (!row) throw invalidLink();
  return { userId: row.user_id, kind: row.kind, email: row.email };
}

/** Uses the token up, atomically: of two concurrent requests only one succeeds. */
export async function consumeEmailToken(
  db: Executor,
  options: { token: string; kinds: readonly EmailTokenKind[]; now?: Date },
): Promise<EmailTokenRecord> {
  const now = options.now ?? new Date();
  const row = await db
    .updateTable("email_tokens")
    .set({ used_at: now })
    .where("id", "=", sha256Hex(options.token))
    .where("kind", "in", options.kinds)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returning(["user_id", "kind", "email"])
    .executeTakeFirst();
  if (!row) throw invalidLink();
  return { userId: row.user_id, kind: row.kind, email: row.email };
}

/** Deletes used and expired tokens (nothing can follow those links any more). */
export async function deleteExpiredEmailTokens(
  db: Executor,
  options: { now?: Date; limit?: number } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  // `limit` bounds one call (the retention sweep loops).
  let spent = db
    .selectFrom("email_tokens")
    .select("id")
    .where((eb) => eb.or([eb("expires_at", "<=", now), eb("used_at", "is not", null)]));
  if (options.limit !== undefined) spent = spent.limit(options.limit);
  const result = await db.deleteFrom("email_tokens").where("id", "in", spent).executeTakeFirst();
  return Number(result.numDeletedRows);
}
