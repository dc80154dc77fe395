import { renderLayout, type RenderedEmail } from "./layout";

export function renderVerifyEmail(options: { name: string; url: string; expiresInHours: number }): RenderedEmail {
  return renderLayout({
    subject: "Confirm your email address for AnimateImg",
    paragraphs: [
      `Hi ${options.name},`,
      "Please confirm that this is your email address. You need a confirmed address before you can start paid work such as generations or purchases.",
    ],
    action: { label: "Confirm my email", url: options.url },
    footnote: `This link works once and expires in ${options.expiresInHours} hours. If you did not create an AnimateImg account, you can ignore this email.`,
  });
}

export function renderChangeEmailConfirmation(options: {
  name: string;
  url: string;
  expiresInHours: number;
}): RenderedEmail {
  return renderLayout({
    subject: "Confirm your new email address for AnimateImg",
    paragraphs: [
      `Hi ${options.name},`,
      "You asked to use this address for your AnimateImg account. Your account keeps its current address until you confirm.",
    ],
    action: { label: "Use this email address", url: options.url },
    footnote: `This link works once and expires in ${options.expiresInHours} hours. If you did not ask for this, ignore this email; nothing changes.`,
  });
}

export function renderPasswordResetEmail(options: { name: string; url: string }): RenderedEmail {
  return renderLayout({
    subject: "Reset your AnimateImg password",
    paragraphs: [
      `Hi ${options.name},`,
      "Someone (hopefully you) asked to reset the password of your AnimateImg account. Choose a new password with the button below; every device signed in to your account will be signed out.",
    ],
    action: { label: "Choose a new password", url: options.url },
    footnote:
      "This link works once and expires in 1 hour. If you did not ask for a reset, ignore this email: your password stays as it is.",
  });
}

export function renderNewSignInEmail(options: {
  name: string;
  when: Date;
  device: string;
  ip: string | null;
  settingsUrl: string;
}): RenderedEmail {
  return renderLayout({
    subject: "New sign-in to your AnimateImg account",
    paragraphs: [
      `Hi ${options.name},`,
      `Your account was just signed in to from ${options.device}${options.ip ? ` (IP address ${options.ip})` : ""} at ${options.when.toUTCString()}.`,
      "If this was you, there is nothing to do. If not, change your password now and sign out the sessions you do not recognise.",
    ],
    action: { label: "Review your sessions", url: options.settingsUrl },
  });
}

export function renderEmailChangedEmail(options: {
  name: string;
  newEmail: string;
  supportHint: string;
}): RenderedEmail {
  return renderLayout({
    subject: "Your AnimateImg email address was changed",
    paragraphs: [
      `Hi ${options.name},`,
      `The email address of your AnimateImg account was changed to ${options.newEmail}. Emails about your account now go there.`,
      `If you did not make this change, ${options.supportHint}`,
    ],
  });
}
