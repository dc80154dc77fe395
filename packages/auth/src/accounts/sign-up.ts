import { grantSignupCredits } from "@animateimg/billing";
import { z } from "zod";
import { AppError } from "@animateimg/core";
import type { Db } from "@animateimg/db";
import { recordPolicyAcceptance } from "@animateimg/privacy";
import { consumeRateLimit } from "@animateimg/rate-limit";
import { normalizeEmail, type AccountMail, type RequestInfo } from "../account-context";
import { hashPassword } from "../password";
import { assertPasswordAllowed } from "../password-policy";
import { accountRateLimits, ipKey } from "../rate-limit-rules";
import { createSession, type CreatedSession } from "../sessions";
import { sendVerificationEmail } from "./send-account-emails";

export interface SignUpOptions extends AccountMail {
  email: string;
  password: string;
  name: string;
  /** The person confirmed they are 13 or older. */
  ageConfirmed: boolean;
  /** The language the sign-up page was read in; the account's emails are written in it. */
  locale?: "en" | "es";
  /** The privacy policy version the sign-up page showed; recorded as accepted with the account. */
  acceptedPolicyVersion?: string;
  request: RequestInfo;
  now?: Date;
}

export const NAME_MAX_LENGTH = 100;

export function assertValidName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > NAME_MAX_LENGTH) {
    if (trimmed.length === 0) {
      const message = "Please enter your name.";
      throw new AppError("BAD_REQUEST", message, { reason: "name_missing", fieldErrors: { name: [message] } });
    }
    const message = `Use at most ${NAME_MAX_LENGTH} characters.`;
    throw new AppError("BAD_REQUEST", message, {
      reason: "name_too_long",
      params: { max: NAME_MAX_LENGTH },
      fieldErrors: { name: [message] },
    });
  }
  return trimmed;
}

export function assertValidEmail(email: string): void {
  if (!z.email().safeParse(email).success) {
    const message = "Please enter a valid email address.";
    throw new AppError("BAD_REQUEST", message, { reason: "invalid_email", fieldErrors: { email: [message] } });
  }
}

/** Creates an unverified account, emails a verification link and signs the person in. */
export async function signUp(db: Db, options: SignUpOptions): Promise<{ userId: string; session: CreatedSession }> {
  const now = options.now ?? new Date();
  await consumeRateLimit(db, { ...accountRateLimits.signUpPerIp(ipKey(options.request.ip)), now });
  if (!options.ageConfirmed) {
    const message = "AnimateImg is not for children: please confirm you are 13 or older.";
    throw new AppError("BAD_REQUEST", message, {
      reason: "age_not_confirmed",
      fieldErrors: { ageConfirmed: [message] },
    });
  }
  const email = normalizeEmail(options.email);
  assertValidEmail(email);
  const name = assertValidName(options.name);
  assertPasswordAllowed(options.password, { email, name });

  const passwordHash = await hashPassword(options.password);
  const user = await db
    .insertInto("users")
    .values({
      email,
      name,
      password_hash: passwordHash,
      age_confirmed_at: now,
      email_verified_at: null,
      locale: options.locale ?? "en",
    })
    .onConflict((oc) => oc.column("email").doNothing())
    .returning(["id", "email", "name"])
    .executeTakeFirst();
  if (!user) {
    const message = "An account with this email already exists. Sign in, or reset your password if you forgot it.";
    throw new AppError("CONFLICT", message, { reason: "email_taken", fieldErrors: { email: [message] } });
  }
  if (options.acceptedPolicyVersion) {
    await recordPolicyAcceptance(db, {
      userId: user.id,
      version: options.acceptedPolicyVersion,
      source: "sign_up",
      now,
    });
  }
  await grantSignupCredits(db, { userId: user.id, amount: options.welcomeCredits ?? 0 });
  await sendVerificationEmail(db, { mailer: options.mailer, appUrl: options.appUrl, user, now });
  const session = await createSession(db, {
    userId: user.id,
    userAgent: options.request.userAgent,
    ip: options.request.ip,
    now,
  });
  return { userId: user.id, session };
}
