import { renderLayout, type RenderedEmail } from "./layout";

/** Sent by the export workflow once the archive is stored: a signed link that works until the archive expires. */
export function renderDataExportReadyEmail(options: {
  name: string;
  url: string;
  expiresAt: Date;
  sizeBytes: number;
  settingsUrl: string;
}): RenderedEmail {
  const megabytes = Math.max(0.1, Math.round(options.sizeBytes / 100_000) / 10);
  return renderLayout({
    subject: "Your AnimateImg data export is ready",
    paragraphs: [
      `Hi ${options.name},`,
      `The archive of your AnimateImg data you asked for is ready (${megabytes} MB, one ZIP file): your account and profile, sign-in sessions, every generation with its prompt, parameters and history, your credit ledger, your uploads and your videos.`,
      `The link below downloads it until ${options.expiresAt.toUTCString()}; after that the archive is deleted. You can also download it from Settings while you are signed in, and ask for a new export at any time.`,
    ],
    action: { label: "Download my data", url: options.url },
    footnote: `Anyone with this link can download the archive until it expires, so do not forward this email. Settings: ${options.settingsUrl}`,
  });
}
