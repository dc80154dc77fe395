import { randomBytes } from "node:crypto";
import type { Db } from "@animateimg/db";
import {
  createUnsubscribeTokens,
  currentPrivacyPolicy,
  type PrivacyPolicy,
  type UnsubscribeTokens,
} from "@animateimg/privacy";

export interface PrivacyDependencies {
  /** The policy in force (tests publish a new version by passing another). */
  policy: PrivacyPolicy;
  /** Fills the policy's contact section (PRIVACY_CONTACT_EMAIL). */
  contactEmail: string;
  /** Signs and checks one-click unsubscribe links. */
  unsubscribeTokens: UnsubscribeTokens;
}

export const DEFAULT_PRIVACY_CONTACT = "privacy@animateimg.local";

const defaults = new WeakMap<Db, PrivacyDependencies>();

/** The configured privacy dependencies, or test defaults (current policy, a per-process secret). */
export function resolvePrivacyDependencies(ctx: {
  db: Db;
  privacy?: PrivacyDependencies | undefined;
}): PrivacyDependencies {
  if (ctx.privacy) return ctx.privacy;
  let fallback = defaults.get(ctx.db);
  if (!fallback) {
    fallback = {
      policy: currentPrivacyPolicy(),
      contactEmail: DEFAULT_PRIVACY_CONTACT,
      unsubscribeTokens: createUnsubscribeTokens({ secret: randomBytes(32).toString("base64url") }),
    };
    defaults.set(ctx.db, fallback);
  }
  return fallback;
}
