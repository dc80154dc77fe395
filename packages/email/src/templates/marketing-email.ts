import { emailText, type EmailLocale } from "./email-dictionaries";
import { renderLayout, type RenderedEmail } from "./layout";

export interface MarketingEmailContent {
  subject: string;
  paragraphs: string[];
  action?: { label: string; url: string };
}

/**
 * Marketing mail always carries a visible unsubscribe link (the policy's promise), besides
 * the List-Unsubscribe headers that mail clients turn into a button.
 */
export function renderMarketingEmail(
  content: MarketingEmailContent & { unsubscribeUrl: string; locale?: EmailLocale },
): RenderedEmail {
  const locale = content.locale ?? "en";
  const t = emailText(locale);
  return renderLayout({
    locale,
    subject: content.subject,
    paragraphs: content.paragraphs,
    ...(content.action ? { action: content.action } : {}),
    footer: {
      text: t("marketingFooter"),
      link: { label: t("unsubscribe"), url: content.unsubscribeUrl },
    },
  });
}
