import type { Mailer } from "@animateimg/email";

/** Where account emails go and what their links point at. */
export interface AccountMail {
  mailer: Mailer;
  /** The app's public base URL, e.g. https://www.animateimg.org (links in emails). */
  appUrl: string;
  /** Credits a new account starts with (WELCOME_CREDITS); none when unset. */
  welcomeCredits?: number;
}

/** Who is asking: used for rate limits, the sessions list and sign-in alerts. */
export interface RequestInfo {
  ip: string | null;
  userAgent: string | null;
}

export function appLink(appUrl: string, path: string, params: Record<string, string> = {}): string {
  const url = new URL(path, appUrl.endsWith("/") ? appUrl : `${appUrl}/`);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

export function normalizeEmail(email: string): string {
  return email.trim();
}
