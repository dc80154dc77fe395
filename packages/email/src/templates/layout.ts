import { emailText, type EmailLocale } from "./email-dictionaries";

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface EmailLayoutParts {
  subject: string;
  /** Paragraphs of plain text; rendered as <p> in HTML. */
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Smaller print after the action. */
  footnote?: string;
  /** The closing small print; default: the transactional footer (no opt-out). */
  footer?: { text: string; link?: { label: string; url: string } };
  /** The language of the layout's own words (footer, "paste this link"); default English. */
  locale?: EmailLocale;
}

/** One layout for every message, so each template only says what is specific to it. */
export function renderLayout(parts: EmailLayoutParts): RenderedEmail {
  const locale = parts.locale ?? "en";
  const t = emailText(locale);
  const footer = parts.footer?.text ?? t("transactionalFooter");
  const footerLink = parts.footer?.link;
  const textLines = [...parts.paragraphs];
  if (parts.action) textLines.push(`${parts.action.label}: ${parts.action.url}`);
  if (parts.footnote) textLines.push(parts.footnote);
  textLines.push("— AnimateImg", "", footer);
  if (footerLink) textLines.push(`${footerLink.label}: ${footerLink.url}`);

  const paragraphsHtml = parts.paragraphs
    .map((p) => `<p style="margin:0 0 16px;line-height:1.5">${escapeHtml(p)}</p>`)
    .join("");
  const actionHtml = parts.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(parts.action.url)}" style="background:#4f46e5;color:#ffffff;padding:12px 20px;border-radius:8px;text-decoration:none;font-weight:600;display:inline-block">${escapeHtml(parts.action.label)}</a></p>` +
      `<p style="margin:0 0 16px;font-size:13px;color:#5b6170">${escapeHtml(t("pasteLink"))}<br><span style="word-break:break-all">${escapeHtml(parts.action.url)}</span></p>`
    : "";
  const footnoteHtml = parts.footnote
    ? `<p style="margin:0 0 16px;font-size:13px;color:#5b6170">${escapeHtml(parts.footnote)}</p>`
    : "";
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(parts.subject)}</title></head><body style="margin:0;background:#f5f6f8;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#12141a"><div style="max-width:560px;margin:0 auto;padding:32px 24px"><p style="font-weight:700;font-size:18px;margin:0 0 24px">AnimateImg</p><div style="background:#ffffff;border:1px solid #dfe2e8;border-radius:12px;padding:24px">${paragraphsHtml}${actionHtml}${footnoteHtml}</div><p style="font-size:12px;color:#5b6170;margin:16px 0 0">${escapeHtml(footer)}${footerLink ? ` <a href="${escapeHtml(footerLink.url)}" style="color:#4f46e5">${escapeHtml(footerLink.label)}</a>` : ""}</p></div></body></html>`;
  return { subject: parts.subject, text: textLines.join("\n\n"), html };
}
