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
export function renderMarketingEmail(content: MarketingEmailContent & { unsubscribeUrl: string }): RenderedEmail {
  return renderLayout({
    subject: content.subject,
    paragraphs: content.paragraphs,
    ...(content.action ? { action: content.action } : {}),
    footer: {
      text: "You receive this email because you turned on product news in your AnimateImg settings. Account and security emails are separate and keep arriving.",
      link: { label: "Unsubscribe", url: content.unsubscribeUrl },
    },
  });
}
