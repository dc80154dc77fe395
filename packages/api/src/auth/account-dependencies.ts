import type { OAuthConfig } from "@animateimg/auth";
import type { Db } from "@animateimg/db";
import { createMailer, type Mailer } from "@animateimg/email";

export interface AccountDependencies {
  mailer: Mailer;
  /** Public base URL of the web app (links in emails, OAuth callbacks). */
  appUrl: string;
  /** Secure cookies (HTTPS); false only for http://localhost development. */
  secureCookies: boolean;
  oauth: OAuthConfig;
  /** Credits every new account starts with. */
  welcomeCredits?: number;
  /** Reverse proxies whose X-Forwarded-For entries are trusted (TRUSTED_PROXY_HOPS); default none. */
  trustedProxyHops?: number;
}

const defaults = new WeakMap<Db, AccountDependencies>();

/** The configured account dependencies, or development defaults (outbox mail, localhost). */
export function resolveAccountDependencies(ctx: {
  db: Db;
  accounts?: AccountDependencies | undefined;
}): AccountDependencies {
  if (ctx.accounts) return ctx.accounts;
  let fallback = defaults.get(ctx.db);
  if (!fallback) {
    const appUrl = "http://localhost:3000";
    fallback = {
      mailer: createMailer({ db: ctx.db, from: "AnimateImg <no-reply@animateimg.local>" }),
      appUrl,
      secureCookies: false,
      oauth: { appUrl },
    };
    defaults.set(ctx.db, fallback);
  }
  return fallback;
}
