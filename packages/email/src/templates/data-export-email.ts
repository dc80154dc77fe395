import { emailText, formatEmailDate, type EmailLocale } from "./email-dictionaries";
import { renderLayout, type RenderedEmail } from "./layout";

/** Sent by the export workflow once the archive is stored: a signed link that works until the archive expires. */
export function renderDataExportReadyEmail(options: {
  name: string;
  url: string;
  expiresAt: Date;
  sizeBytes: number;
  settingsUrl: string;
  /** The recipient's language (users.locale); English when not given. */
  locale?: EmailLocale;
}): RenderedEmail {
  const locale = options.locale ?? "en";
  const t = emailText(locale);
  const megabytes = Math.max(0.1, Math.round(options.sizeBytes / 100_000) / 10);
  return renderLayout({
    locale,
    subject: t("export.subject"),
    paragraphs: [
      t("greeting", { name: options.name }),
      t("export.body", { megabytes: locale === "en" ? megabytes : megabytes.toLocaleString(locale) }),
      t("export.until", { until: formatEmailDate(options.expiresAt, locale) }),
    ],
    action: { label: t("export.action"), url: options.url },
    footnote: t("export.footnote", { settingsUrl: options.settingsUrl }),
  });
}
