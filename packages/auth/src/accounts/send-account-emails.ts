import type { Executor } from "@animateimg/db";
import {
  parseEmailLocale,
  renderChangeEmailConfirmation,
  renderEmailChangedEmail,
  renderNewSignInEmail,
  renderPasswordResetEmail,
  renderVerifyEmail,
} from "@animateimg/email";
import { appLink, type AccountMail, type RequestInfo } from "../account-context";
import { describeUserAgent } from "../describe-user-agent";
import { createEmailToken } from "../email-tokens";

/** The language the person's emails are written in (users.locale). */
async function recipientLocale(db: Executor, userId: string) {
  const row = await db.selectFrom("users").select("locale").where("id", "=", userId).executeTakeFirst();
  return parseEmailLocale(row?.locale);
}

export async function sendVerificationEmail(
  db: Executor,
  options: AccountMail & { user: { id: string; email: string; name: string }; now?: Date },
): Promise<void> {
  const token = await createEmailToken(db, {
    userId: options.user.id,
    kind: "verify_email",
    email: options.user.email,
    now: options.now,
  });
  const url = appLink(options.appUrl, "/verify-email", { token });
  await options.mailer.send({
    to: options.user.email,
    kind: "verify_email",
    ...renderVerifyEmail({
      name: options.user.name,
      url,
      expiresInHours: 24,
      locale: await recipientLocale(db, options.user.id),
    }),
  });
}

export async function sendChangeEmailConfirmation(
  db: Executor,
  options: AccountMail & { user: { id: string; name: string }; newEmail: string; now?: Date },
): Promise<void> {
  const token = await createEmailToken(db, {
    userId: options.user.id,
    kind: "change_email",
    email: options.newEmail,
    now: options.now,
  });
  const url = appLink(options.appUrl, "/verify-email", { token });
  await options.mailer.send({
    to: options.newEmail,
    kind: "change_email",
    ...renderChangeEmailConfirmation({
      name: options.user.name,
      url,
      expiresInHours: 24,
      locale: await recipientLocale(db, options.user.id),
    }),
  });
}

export async function sendPasswordResetEmail(
  db: Executor,
  options: AccountMail & { user: { id: string; email: string; name: string }; now?: Date },
): Promise<void> {
  const token = await createEmailToken(db, {
    userId: options.user.id,
    kind: "reset_password",
    email: options.user.email,
    now: options.now,
  });
  const url = appLink(options.appUrl, "/reset-password", { token });
  await options.mailer.send({
    to: options.user.email,
    kind: "reset_password",
    ...renderPasswordResetEmail({ name: options.user.name, url, locale: await recipientLocale(db, options.user.id) }),
  });
}

/**
 * Alerts the account owner when a sign-in comes from a browser none of their current
 * sessions uses. Call before creating the new session.
 */
export async function alertOnNewDevice(
  db: Executor,
  options: AccountMail & { user: { id: string; email: string; name: string }; request: RequestInfo; now?: Date },
): Promise<boolean> {
  let query = db.selectFrom("sessions").select("id").where("user_id", "=", options.user.id).limit(1);
  query =
    options.request.userAgent === null
      ? query.where("user_agent", "is", null)
      : query.where("user_agent", "=", options.request.userAgent.slice(0, 512));
  if (await query.executeTakeFirst()) return false;
  const device = describeUserAgent(options.request.userAgent);
  await options.mailer.send({
    to: options.user.email,
    kind: "new_sign_in",
    ...renderNewSignInEmail({
      name: options.user.name,
      when: options.now ?? new Date(),
      device: `${device.browser} on ${device.os}`,
      ip: options.request.ip,
      settingsUrl: appLink(options.appUrl, "/settings", { section: "sessions" }),
      locale: await recipientLocale(db, options.user.id),
    }),
  });
  return true;
}

export async function sendEmailChangedNotice(
  options: AccountMail & { oldEmail: string; newEmail: string; name: string; locale: string },
): Promise<void> {
  await options.mailer.send({
    to: options.oldEmail,
    kind: "email_changed",
    ...renderEmailChangedEmail({
      name: options.name,
      newEmail: options.newEmail,
      resetUrl: appLink(options.appUrl, "/forgot-password"),
      locale: parseEmailLocale(options.locale),
    }),
  });
}
