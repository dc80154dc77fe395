import { AppError } from "@animateimg/core";
import type { Executor } from "@animateimg/db";
import { setMarketingOptIn } from "./marketing-consent";
import type { UnsubscribeTokens } from "./unsubscribe-token";

export const INVALID_UNSUBSCRIBE_LINK_MESSAGE =
  "This unsubscribe link is not valid. Copy the whole link from the email, or turn marketing email off in Settings.";

function userIdFromToken(tokens: UnsubscribeTokens, token: string): string {
  const userId = tokens.verify(token);
  if (!userId)
    throw new AppError("NOT_FOUND", INVALID_UNSUBSCRIBE_LINK_MESSAGE, { reason: "invalid_unsubscribe_token" });
  return userId;
}

/**
 * One-click unsubscribe (RFC 8058): no session, only the signed token. Idempotent: the
 * second click answers the same and changes nothing. A token of an account that no longer
 * exists answers the same too (there is nobody left to email).
 */
export async function unsubscribeWithToken(
  db: Executor,
  options: { tokens: UnsubscribeTokens; token: string; now?: Date },
): Promise<{ changed: boolean }> {
  const userId = userIdFromToken(options.tokens, options.token);
  const exists = await db.selectFrom("users").select("id").where("id", "=", userId).executeTakeFirst();
  if (!exists) return { changed: false };
  return setMarketingOptIn(db, {
    userId,
    optIn: false,
    via: "unsubscribe_link",
    ...(options.now ? { now: options.now } : {}),
  });
}

export interface UnsubscribeLinkView {
  /** The address, partly hidden ("g•••@example.com"): the link may have been forwarded. */
  maskedEmail: string | null;
  optedIn: boolean;
}

/** What the confirmation page shows for a link (GET never changes anything). */
export async function describeUnsubscribeLink(
  db: Executor,
  options: { tokens: UnsubscribeTokens; token: string },
): Promise<UnsubscribeLinkView> {
  const userId = userIdFromToken(options.tokens, options.token);
  const row = await db
    .selectFrom("users")
    .leftJoin("marketing_email_consents", "marketing_email_consents.user_id", "users.id")
    .select(["users.email", "marketing_email_consents.opted_in"])
    .where("users.id", "=", userId)
    .executeTakeFirst();
  return { maskedEmail: row ? maskEmail(row.email) : null, optedIn: row?.opted_in ?? false };
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "•••";
  return `${email[0]}•••${email.slice(at)}`;
}
