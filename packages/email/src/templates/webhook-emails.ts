import { emailText, formatEmailDate, type EmailLocale } from "./email-dictionaries";
import { renderLayout, type RenderedEmail } from "./layout";

/** To the owner of an endpoint we turned off after days of failed deliveries. */
export function renderWebhookDisabledEmail(options: {
  name: string;
  url: string;
  failingSince: Date;
  days: number;
  settingsUrl: string;
  /** The recipient's language (users.locale); English when not given. */
  locale?: EmailLocale;
}): RenderedEmail {
  const locale = options.locale ?? "en";
  const t = emailText(locale);
  return renderLayout({
    locale,
    subject: t("webhookDisabled.subject"),
    paragraphs: [
      t("greeting", { name: options.name }),
      t("webhookDisabled.body", {
        url: options.url,
        since: formatEmailDate(options.failingSince, locale),
        days: options.days,
      }),
      t("webhookDisabled.advice"),
    ],
    action: { label: t("webhookDisabled.action"), url: options.settingsUrl },
  });
}
