export {
  createMailer,
  listOutbox,
  type CreateMailerOptions,
  type EmailKind,
  type Mailer,
  type OutboxMessage,
  type OutgoingEmail,
} from "./create-mailer";
export {
  renderChangeEmailConfirmation,
  renderEmailChangedEmail,
  renderNewSignInEmail,
  renderPasswordResetEmail,
  renderVerifyEmail,
} from "./templates/account-emails";
export { renderDataExportReadyEmail } from "./templates/data-export-email";
export { escapeHtml, type RenderedEmail } from "./templates/layout";
export { parseEmailLocale, type EmailLocale } from "./templates/email-dictionaries";
export { renderWebhookDisabledEmail } from "./templates/webhook-emails";
export { renderMarketingEmail, type MarketingEmailContent } from "./templates/marketing-email";
