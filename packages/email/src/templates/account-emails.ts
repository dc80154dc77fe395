import { emailText, formatEmailDate, type EmailLocale } from "./email-dictionaries";
import { renderLayout, type RenderedEmail } from "./layout";

/** Each email is written in the recipient's language (users.locale); English when not given. */
interface Localized {
  locale?: EmailLocale;
}

export function renderVerifyEmail(
  options: { name: string; url: string; expiresInHours: number } & Localized,
): RenderedEmail {
  const locale = options.locale ?? "en";
  const t = emailText(locale);
  return renderLayout({
    locale,
    subject: t("verify.subject"),
    paragraphs: [t("greeting", { name: options.name }), t("verify.body")],
    action: { label: t("verify.action"), url: options.url },
    footnote: t("verify.footnote", { hours: options.expiresInHours }),
  });
}

export function renderChangeEmailConfirmation(
  options: {
    name: string;
    url: string;
    expiresInHours: number;
  } & Localized,
): RenderedEmail {
  const locale = options.locale ?? "en";
  const t = emailText(locale);
  return renderLayout({
    locale,
    subject: t("changeEmail.subject"),
    paragraphs: [t("greeting", { name: options.name }), t("changeEmail.body")],
    action: { label: t("changeEmail.action"), url: options.url },
    footnote: t("changeEmail.footnote", { hours: options.expiresInHours }),
  });
}

export function renderPasswordResetEmail(options: { name: string; url: string } & Localized): RenderedEmail {
  const locale = options.locale ?? "en";
  const t = emailText(locale);
  return renderLayout({
    locale,
    subject: t("reset.subject"),
    paragraphs: [t("greeting", { name: options.name }), t("reset.body")],
    action: { label: t("reset.action"), url: options.url },
    footnote: t("reset.footnote"),
  });
}

export function renderNewSignInEmail(
  options: {
    name: string;
    when: Date;
    device: string;
    ip: string | null;
    settingsUrl: string;
  } & Localized,
): RenderedEmail {
  const locale = options.locale ?? "en";
  const t = emailText(locale);
  const when = formatEmailDate(options.when, locale);
  return renderLayout({
    locale,
    subject: t("newSignIn.subject"),
    paragraphs: [
      t("greeting", { name: options.name }),
      options.ip
        ? t("newSignIn.bodyWithIp", { device: options.device, ip: options.ip, when })
        : t("newSignIn.body", { device: options.device, when }),
      t("newSignIn.advice"),
    ],
    action: { label: t("newSignIn.action"), url: options.settingsUrl },
  });
}

export function renderEmailChangedEmail(
  options: {
    name: string;
    newEmail: string;
    /** Where a person who did not make the change resets their password. */
    resetUrl: string;
  } & Localized,
): RenderedEmail {
  const locale = options.locale ?? "en";
  const t = emailText(locale);
  return renderLayout({
    locale,
    subject: t("emailChanged.subject"),
    paragraphs: [
      t("greeting", { name: options.name }),
      t("emailChanged.body", { newEmail: options.newEmail }),
      t("emailChanged.advice", { resetUrl: options.resetUrl }),
    ],
  });
}
