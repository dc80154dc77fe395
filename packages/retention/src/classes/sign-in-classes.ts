// Sign-in leftovers: they hold IP addresses, user agents and typed emails, and have no use once
// expired (nothing can sign in with them). Their lifetimes are set where they are created
// (sessions: 30 days idle, 90 days at most; email links: their own expiry), so they are removed
// as soon as they expire: no separate setting.
import { deleteExpiredEmailTokens, deleteExpiredSessions } from "@animateimg/auth";
import { deleteExpiredRateLimits } from "@animateimg/rate-limit";
import { rowClass } from "../retention-class";

export const expiredSessions = rowClass(
  "expired-sessions",
  "Sessions past their idle or absolute expiry (IP address, user agent)",
  ({ db, now }, limit) => deleteExpiredSessions(db, { now, limit }),
);

export const spentEmailTokens = rowClass(
  "spent-email-tokens",
  "Email links (verification, reset, email change) that expired or were used",
  ({ db, now }, limit) => deleteExpiredEmailTokens(db, { now, limit }),
);

export const expiredRateLimits = rowClass(
  "expired-rate-limits",
  "Rate-limit counters whose window ended (keys hold an IP address or an email)",
  ({ db, now }, limit) => deleteExpiredRateLimits(db, { now, limit }),
);
