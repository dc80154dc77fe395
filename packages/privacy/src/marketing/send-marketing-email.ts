import { renderMarketingEmail, type Mailer, type MarketingEmailContent } from "@animateimg/email";
import type { Executor } from "@animateimg/db";
import type { UnsubscribeTokens } from "./unsubscribe-token";

export interface MarketingMailSettings {
  mailer: Mailer;
  tokens: UnsubscribeTokens;
  /** Public origin; the one-click URL is `<appUrl>/api/unsubscribe/<token>` (RFC 8058 wants https). */
  appUrl: string;
  /**
   * An address whose incoming mail is processed as unsubscribes. Only set it when someone (or
   * a filter) acts on that mailbox: an unread mailto would be a broken promise.
   */
  unsubscribeMailto?: string | undefined;
}

export function unsubscribeUrl(appUrl: string, token: string): string {
  return new URL(`/api/unsubscribe/${encodeURIComponent(token)}`, appUrl).toString();
}

/** The headers every marketing email carries (RFC 2369 List-Unsubscribe, RFC 8058 one-click). */
export function listUnsubscribeHeaders(
  settings: Pick<MarketingMailSettings, "appUrl" | "unsubscribeMailto">,
  token: string,
) {
  const targets = [`<${unsubscribeUrl(settings.appUrl, token)}>`];
  if (settings.unsubscribeMailto) {
    targets.push(`<mailto:${settings.unsubscribeMailto}?subject=${encodeURIComponent(`unsubscribe ${token}`)}>`);
  }
  return { "List-Unsubscribe": targets.join(", "), "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

/**
 * Sends one marketing email to one person, only if they opted in (checked at send time, so a
 * click on "unsubscribe" a second before is honoured). Every message carries the
 * List-Unsubscribe headers and a visible unsubscribe link.
 */
export async function sendMarketingEmail(
  db: Executor,
  options: MarketingMailSettings & { userId: string; content: MarketingEmailContent },
): Promise<{ sent: boolean }> {
  const recipient = await db
    .selectFrom("users")
    .innerJoin("marketing_email_consents", "marketing_email_consents.user_id", "users.id")
    .select("users.email")
    .where("users.id", "=", options.userId)
    .where("marketing_email_consents.opted_in", "=", true)
    .executeTakeFirst();
  if (!recipient) return { sent: false };
  const token = options.tokens.create(options.userId);
  await options.mailer.send({
    to: recipient.email,
    kind: "marketing",
    headers: listUnsubscribeHeaders(options, token),
    ...renderMarketingEmail({ ...options.content, unsubscribeUrl: unsubscribeUrl(options.appUrl, token) }),
  });
  return { sent: true };
}
