import { constantTimeEqual } from "@oslojs/crypto/subtle";
import type { Executor } from "@animateimg/db";
import { generateSecureRandomString, sha256Bytes } from "./random-token";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Idle sessions end after 30 days; activity pushes the end forward. */
export const SESSION_IDLE_TIMEOUT_MS = 30 * DAY_MS;
/** The sliding expiry is written at most once an hour, not on every request. */
export const SESSION_REFRESH_INTERVAL_MS = HOUR_MS;
/** However active, a session ends 90 days after sign-in. */
export const SESSION_ABSOLUTE_LIFETIME_MS = 90 * DAY_MS;

export interface SessionUserRecord {
  id: string;
  email: string;
  name: string;
  role: "user" | "admin";
  emailVerified: boolean;
}

export interface ValidatedSession {
  id: string;
  user: SessionUserRecord;
  createdAt: Date;
  expiresAt: Date;
  absoluteExpiresAt: Date;
}

export interface CreatedSession {
  /** `<id>.<secret>`: goes into the cookie and nowhere else. */
  token: string;
  id: string;
  expiresAt: Date;
  absoluteExpiresAt: Date;
}

/**
 * A new session with a fresh token (sign-in, sign-up, OAuth). Only the secret's SHA-256 is
 * stored; the id alone cannot authenticate.
 */
export async function createSession(
  db: Executor,
  options: { userId: string; userAgent?: string | null; ip?: string | null; now?: Date },
): Promise<CreatedSession> {
  const now = options.now ?? new Date();
  const id = generateSecureRandomString();
  const secret = generateSecureRandomString();
  const absoluteExpiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_LIFETIME_MS);
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_TIMEOUT_MS);
  await db
    .insertInto("sessions")
    .values({
      id,
      secret_hash: sha256Bytes(secret),
      user_id: options.userId,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      absolute_expires_at: absoluteExpiresAt,
      user_agent: options.userAgent?.slice(0, 512) ?? null,
      ip: options.ip ?? null,
    })
    .execute();
  return { token: `${id}.${secret}`, id, expiresAt, absoluteExpiresAt };
}

/**
 * The session a token belongs to, or null when it is malformed, unknown, revoked or
 * expired. Extends the idle expiry when the last extension is more than an hour old.
 */
export async function validateSessionToken(
  db: Executor,
  options: { token: string; now?: Date },
): Promise<ValidatedSession | null> {
  const now = options.now ?? new Date();
  const parts = options.token.split(".");
  if (parts.length !== 2) return null;
  const [id, secret] = parts as [string, string];
  if (id.length === 0 || id.length > 64 || secret.length === 0 || secret.length > 64) return null;

  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select([
      "sessions.id",
      "sessions.secret_hash",
      "sessions.created_at",
      "sessions.last_seen_at",
      "sessions.expires_at",
      "sessions.absolute_expires_at",
      "users.id as user_id",
      "users.email",
      "users.name",
      "users.role",
      "users.email_verified_at",
    ])
    .where("sessions.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  if (!constantTimeEqual(sha256Bytes(secret), new Uint8Array(row.secret_hash))) return null;

  if (row.expires_at.getTime() <= now.getTime() || row.absolute_expires_at.getTime() <= now.getTime()) {
    await db.deleteFrom("sessions").where("id", "=", row.id).execute();
    return null;
  }

  let expiresAt = row.expires_at;
  if (now.getTime() - row.last_seen_at.getTime() >= SESSION_REFRESH_INTERVAL_MS) {
    expiresAt = new Date(Math.min(now.getTime() + SESSION_IDLE_TIMEOUT_MS, row.absolute_expires_at.getTime()));
    await db
      .updateTable("sessions")
      .set({ last_seen_at: now, expires_at: expiresAt })
      .where("id", "=", row.id)
      .execute();
  }

  return {
    id: row.id,
    createdAt: row.created_at,
    expiresAt,
    absoluteExpiresAt: row.absolute_expires_at,
    user: {
      id: row.user_id,
      email: row.email,
      name: row.name,
      role: row.role,
      emailVerified: row.email_verified_at !== null,
    },
  };
}

export async function invalidateSession(db: Executor, options: { sessionId: string }): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", options.sessionId).execute();
}

/** Signs the user out everywhere, or everywhere but `exceptSessionId` (the current device). */
export async function invalidateUserSessions(
  db: Executor,
  options: { userId: string; exceptSessionId?: string | null },
): Promise<number> {
  let query = db.deleteFrom("sessions").where("user_id", "=", options.userId);
  if (options.exceptSessionId) query = query.where("id", "!=", options.exceptSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Deletes sessions past either end (idle or absolute): nothing can sign in with them, and they
 * hold an IP address and a user agent. `limit` bounds one call (the retention sweep loops).
 */
export async function deleteExpiredSessions(
  db: Executor,
  options: { now?: Date; limit?: number } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  let expired = db
    .selectFrom("sessions")
    .select("id")
    .where((eb) => eb.or([eb("expires_at", "<=", now), eb("absolute_expires_at", "<=", now)]));
  if (options.limit !== undefined) expired = expired.limit(options.limit);
  const result = await db.deleteFrom("sessions").where("id", "in", expired).executeTakeFirst();
  return Number(result.numDeletedRows);
}
