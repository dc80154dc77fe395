import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { AppError } from "@animateimg/core";
import type { ApiKeyRow, ApiKeyScope, Executor } from "@animateimg/db";
import { generateSecureRandomString, sha256Bytes } from "./random-token";
import type { SessionUserRecord } from "./sessions";

/** Every scope a key may hold: `read` (models, quotes, generations, downloads), `generate` (uploads, create, cancel, delete). */
export const API_KEY_SCOPES: readonly ApiKeyScope[] = ["read", "generate"];
/** Requests one key may make per minute unless the owner chose another limit. */
export const DEFAULT_API_KEY_REQUESTS_PER_MINUTE = 60;
export const MAX_ACTIVE_API_KEYS = 20;
export const API_KEY_NAME_MAX_LENGTH = 60;
/** `last_used_at` is written at most once a minute, not on every request. */
const LAST_USED_RESOLUTION_MS = 60 * 1000;

/**
 * `aimg_<id>_<secret>`: the prefix makes a leaked key recognisable to secret scanners; the id
 * finds the row and the secret proves possession. Both are 24 base32 characters (120 bits).
 */
const TOKEN_PATTERN = /^aimg_([a-z2-7]{24})_([a-z2-7]{24})$/;

export interface ApiKeyView {
  id: string;
  name: string;
  /** What the owner sees to recognise a key: `aimg_<id>_…`; never the secret. */
  preview: string;
  scopes: ApiKeyScope[];
  requestsPerMinute: number;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface AuthenticatedApiKey {
  keyId: string;
  scopes: ApiKeyScope[];
  requestsPerMinute: number;
  user: SessionUserRecord;
}

function toApiKeyView(row: Omit<ApiKeyRow, "secret_hash" | "user_id">): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    preview: `aimg_${row.id}_…`,
    scopes: row.scopes,
    requestsPerMinute: row.requests_per_minute,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/**
 * A new key. The token is returned once, here, and never stored: only its secret's SHA-256 is.
 */
export async function createApiKey(
  db: Executor,
  options: { userId: string; name: string; scopes: ApiKeyScope[]; requestsPerMinute?: number },
): Promise<{ token: string; key: ApiKeyView }> {
  const name = options.name.trim();
  if (name.length === 0 || name.length > API_KEY_NAME_MAX_LENGTH) {
    throw new AppError("BAD_REQUEST", `Give the key a name of 1 to ${API_KEY_NAME_MAX_LENGTH} characters.`, {
      reason: "invalid_key_name",
      params: { max: API_KEY_NAME_MAX_LENGTH },
      fieldErrors: { name: [`1 to ${API_KEY_NAME_MAX_LENGTH} characters.`] },
    });
  }
  const scopes = [...new Set(options.scopes)].filter((scope) => API_KEY_SCOPES.includes(scope));
  if (scopes.length === 0) {
    throw new AppError("BAD_REQUEST", "Choose at least one scope for the key.", { reason: "invalid_key_scopes" });
  }
  const active = await db
    .selectFrom("api_keys")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("user_id", "=", options.userId)
    .where("revoked_at", "is", null)
    .executeTakeFirstOrThrow();
  if (Number(active.count) >= MAX_ACTIVE_API_KEYS) {
    throw new AppError(
      "CONFLICT",
      `You can have up to ${MAX_ACTIVE_API_KEYS} active keys. Revoke one you no longer use.`,
      {
        reason: "too_many_api_keys",
        params: { max: MAX_ACTIVE_API_KEYS },
      },
    );
  }
  const id = generateSecureRandomString();
  const secret = generateSecureRandomString();
  const row = await db
    .insertInto("api_keys")
    .values({
      id,
      user_id: options.userId,
      name,
      secret_hash: sha256Bytes(secret),
      scopes,
      requests_per_minute: options.requestsPerMinute ?? DEFAULT_API_KEY_REQUESTS_PER_MINUTE,
    })
    .returning(["id", "name", "scopes", "requests_per_minute", "created_at", "last_used_at", "revoked_at"])
    .executeTakeFirstOrThrow();
  return { token: `aimg_${id}_${secret}`, key: toApiKeyView(row) };
}

/** The owner's keys, newest first, revoked ones included (their usage stays readable). */
export async function listApiKeys(db: Executor, options: { userId: string }): Promise<ApiKeyView[]> {
  const rows = await db
    .selectFrom("api_keys")
    .select(["id", "name", "scopes", "requests_per_minute", "created_at", "last_used_at", "revoked_at"])
    .where("user_id", "=", options.userId)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
  return rows.map(toApiKeyView);
}

/** Revokes at once: the next request with the key is refused. Someone else's key is NOT_FOUND. */
export async function revokeApiKey(
  db: Executor,
  options: { userId: string; keyId: string; now?: Date },
): Promise<ApiKeyView> {
  const row = await db
    .updateTable("api_keys")
    .set({ revoked_at: options.now ?? new Date() })
    .where("id", "=", options.keyId)
    .where("user_id", "=", options.userId)
    .where("revoked_at", "is", null)
    .returning(["id", "name", "scopes", "requests_per_minute", "created_at", "last_used_at", "revoked_at"])
    .executeTakeFirst();
  if (!row)
    throw new AppError("NOT_FOUND", "That key was not found or is already revoked.", { reason: "api_key_not_found" });
  return toApiKeyView(row);
}

/**
 * The key and its owner, or null when the token is malformed, unknown or revoked. The secret
 * is compared by hash in constant time; `last_used_at` is refreshed at most once a minute.
 */
export async function authenticateApiKey(
  db: Executor,
  options: { token: string; now?: Date },
): Promise<AuthenticatedApiKey | null> {
  const match = TOKEN_PATTERN.exec(options.token);
  if (!match) return null;
  const [, id, secret] = match as unknown as [string, string, string];
  const now = options.now ?? new Date();
  const row = await db
    .selectFrom("api_keys")
    .innerJoin("users", "users.id", "api_keys.user_id")
    .select([
      "api_keys.id",
      "api_keys.secret_hash",
      "api_keys.scopes",
      "api_keys.requests_per_minute",
      "api_keys.last_used_at",
      "api_keys.revoked_at",
      "users.id as user_id",
      "users.email",
      "users.name",
      "users.role",
      "users.email_verified_at",
    ])
    .where("api_keys.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  if (!constantTimeEqual(sha256Bytes(secret), new Uint8Array(row.secret_hash))) return null;
  if (row.revoked_at !== null) return null;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db.updateTable("api_keys").set({ last_used_at: now }).where("id", "=", row.id).execute();
  }
  return {
    keyId: row.id,
    scopes: row.scopes,
    requestsPerMinute: row.requests_per_minute,
    user: {
      id: row.user_id,
      email: row.email,
      name: row.name,
      role: row.role,
      emailVerified: row.email_verified_at !== null,
    },
  };
}
