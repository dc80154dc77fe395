import { grantSignupCredits } from "@animateimg/billing";
import { AppError } from "@animateimg/core";
import { recordPolicyAcceptance } from "@animateimg/privacy";
import type { Db, OAuthProviderName } from "@animateimg/db";
import type { AccountMail, RequestInfo } from "../account-context";
import { alertOnNewDevice, sendVerificationEmail } from "../accounts/send-account-emails";
import { createSession, type CreatedSession } from "../sessions";
import { PROVIDER_LABELS } from "./oauth-config";
import type { OAuthFlowState, OAuthProfile } from "./oauth-flow";

export interface OAuthOutcome {
  userId: string;
  /** A new session when this was a sign-in; null when a provider was linked to the current one. */
  session: CreatedSession | null;
  createdUser: boolean;
  linked: boolean;
}

async function linkProvider(db: Db, userId: string, profile: OAuthProfile): Promise<void> {
  const inserted = await db
    .insertInto("oauth_accounts")
    .values({
      provider: profile.provider,
      provider_user_id: profile.providerUserId,
      user_id: userId,
      email: profile.email,
    })
    .onConflict((oc) => oc.doNothing())
    .returning("user_id")
    .executeTakeFirst();
  if (inserted) return;
  const label = PROVIDER_LABELS[profile.provider];
  const existing = await db
    .selectFrom("oauth_accounts")
    .select("user_id")
    .where("provider", "=", profile.provider)
    .where("provider_user_id", "=", profile.providerUserId)
    .executeTakeFirst();
  if (existing?.user_id === userId) return;
  throw new AppError(
    "CONFLICT",
    existing
      ? `This ${label} account is already linked to another AnimateImg account.`
      : `Your account is already linked to a different ${label} account. Unlink it first.`,
    {
      reason: "oauth_already_linked",
      params: { provider: label, linkedTo: existing ? "other_account" : "other_identity" },
    },
  );
}

/**
 * What a verified OAuth callback does to our accounts. Only the provider's id, email, name
 * and avatar are kept. An existing account is joined by email only when the provider says
 * the email is verified; otherwise anyone could claim an account by adding its address.
 */
export async function signInWithOAuth(
  db: Db,
  options: AccountMail & {
    profile: OAuthProfile;
    flow: Pick<OAuthFlowState, "intent" | "ageConfirmed">;
    currentUserId: string | null;
    /** The privacy policy version in force; recorded as accepted when this creates the account. */
    acceptedPolicyVersion?: string;
    /** The language the site was read in; an account this creates gets its emails in it. */
    locale?: "en" | "es";
    request: RequestInfo;
    now?: Date;
  },
): Promise<OAuthOutcome> {
  const { profile } = options;
  const now = options.now ?? new Date();
  const label = PROVIDER_LABELS[profile.provider];

  if (options.flow.intent === "link") {
    if (!options.currentUserId) {
      throw new AppError("UNAUTHORIZED", `Please sign in before linking ${label}.`, {
        reason: "not_signed_in",
        params: { provider: label },
      });
    }
    await linkProvider(db, options.currentUserId, profile);
    return { userId: options.currentUserId, session: null, createdUser: false, linked: true };
  }

  let createdUser = false;
  let linked = false;
  const known = await db
    .selectFrom("oauth_accounts")
    .innerJoin("users", "users.id", "oauth_accounts.user_id")
    .select(["users.id", "users.email", "users.name", "users.avatar_url"])
    .where("oauth_accounts.provider", "=", profile.provider)
    .where("oauth_accounts.provider_user_id", "=", profile.providerUserId)
    .executeTakeFirst();
  let user = known ?? null;

  if (!user) {
    if (!profile.email) {
      throw new AppError(
        "BAD_REQUEST",
        `Your ${label} account has no email address we can use. Add one at ${label}, or sign up with email and password.`,
        { reason: "oauth_no_email", params: { provider: label } },
      );
    }
    const sameEmail = await db
      .selectFrom("users")
      .select(["id", "email", "name", "avatar_url"])
      .where("email", "=", profile.email)
      .executeTakeFirst();
    if (sameEmail) {
      if (!profile.emailVerified) {
        throw new AppError(
          "CONFLICT",
          `An account with this email already exists, and ${label} has not verified that you own the address. Sign in with your password, then link ${label} in Settings.`,
          { reason: "oauth_email_unverified", params: { provider: label } },
        );
      }
      await linkProvider(db, sameEmail.id, profile);
      // The provider proved the inbox, so our own verification is settled too.
      await db
        .updateTable("users")
        .set((eb) => ({ email_verified_at: eb.fn.coalesce("email_verified_at", eb.val(now)) }))
        .where("id", "=", sameEmail.id)
        .execute();
      user = sameEmail;
      linked = true;
    } else {
      if (!options.flow.ageConfirmed) {
        throw new AppError(
          "PRECONDITION_FAILED",
          "To create an account, please confirm on the sign-up page that you are 13 or older.",
          { reason: "oauth_age_not_confirmed" },
        );
      }
      const created = await db
        .insertInto("users")
        .values({
          email: profile.email,
          name: profile.name.slice(0, 100),
          password_hash: null,
          avatar_url: profile.avatarUrl,
          age_confirmed_at: now,
          email_verified_at: profile.emailVerified ? now : null,
          locale: options.locale ?? "en",
        })
        .returning(["id", "email", "name", "avatar_url"])
        .executeTakeFirstOrThrow();
      await linkProvider(db, created.id, profile);
      if (options.acceptedPolicyVersion) {
        await recordPolicyAcceptance(db, {
          userId: created.id,
          version: options.acceptedPolicyVersion,
          source: "sign_up",
          now,
        });
      }
      await grantSignupCredits(db, { userId: created.id, amount: options.welcomeCredits ?? 0 });
      if (!profile.emailVerified) {
        await sendVerificationEmail(db, { mailer: options.mailer, appUrl: options.appUrl, user: created, now });
      }
      user = created;
      createdUser = true;
      linked = true;
    }
  }

  if (!user.avatar_url && profile.avatarUrl) {
    await db.updateTable("users").set({ avatar_url: profile.avatarUrl }).where("id", "=", user.id).execute();
  }
  if (!createdUser) {
    await alertOnNewDevice(db, { mailer: options.mailer, appUrl: options.appUrl, user, request: options.request, now });
  }
  const session = await createSession(db, {
    userId: user.id,
    userAgent: options.request.userAgent,
    ip: options.request.ip,
    now,
  });
  return { userId: user.id, session, createdUser, linked };
}

/** Removes a linked provider, unless it is the account's last way to sign in. */
export async function unlinkOAuthProvider(
  db: Db,
  options: { userId: string; provider: OAuthProviderName },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom("users")
      .select(["id", "password_hash"])
      .where("id", "=", options.userId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const providers = await trx
      .selectFrom("oauth_accounts")
      .select("provider")
      .where("user_id", "=", options.userId)
      .execute();
    if (!providers.some((p) => p.provider === options.provider)) {
      throw new AppError("NOT_FOUND", `${PROVIDER_LABELS[options.provider]} is not linked to your account.`, {
        reason: "oauth_not_linked",
        params: { provider: PROVIDER_LABELS[options.provider] },
      });
    }
    if (user.password_hash === null && providers.length <= 1) {
      throw new AppError(
        "PRECONDITION_FAILED",
        `${PROVIDER_LABELS[options.provider]} is your only way to sign in. Set a password or link another provider first.`,
        { reason: "last_sign_in_method", params: { provider: PROVIDER_LABELS[options.provider] } },
      );
    }
    await trx
      .deleteFrom("oauth_accounts")
      .where("user_id", "=", options.userId)
      .where("provider", "=", options.provider)
      .execute();
  });
}
