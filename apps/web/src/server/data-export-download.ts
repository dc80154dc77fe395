import "server-only";
import { createDataExportHttpHandler, type ExportDownloadRefusal } from "@animateimg/api";
import { escapeHtml } from "@animateimg/email";
import { getT } from "~/i18n/server";
import type { MessageKey } from "~/i18n/translate";
import { getDependencies } from "./deps";

const words: Record<ExportDownloadRefusal, { title: MessageKey; body: MessageKey }> = {
  expired: { title: "dataExport.page.expiredTitle", body: "dataExport.page.expiredBody" },
  not_found: { title: "dataExport.page.notFoundTitle", body: "dataExport.page.notFoundBody" },
  not_ready: { title: "dataExport.page.notReadyTitle", body: "dataExport.page.notReadyBody" },
  sign_in: { title: "dataExport.page.signInTitle", body: "dataExport.page.signInBody" },
  unavailable: { title: "dataExport.page.unavailableTitle", body: "dataExport.page.unavailableBody" },
};

/**
 * The export download routes share one handler; a refusal (410 past the window, 404, …) is a
 * small self-contained page in the reader's language, since these URLs are opened from an
 * email or a link rather than fetched by the app.
 */
export const dataExportDownload = createDataExportHttpHandler({
  getDependencies,
  renderRefusal: async (refusal) => {
    const { t, locale } = await getT();
    const title = escapeHtml(t(words[refusal].title));
    return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} — AnimateImg</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5"><h1>${title}</h1><p>${escapeHtml(t(words[refusal].body))}</p><p><a href="/settings?section=data-export">${escapeHtml(t("dataExport.page.settingsLink"))}</a></p></body></html>`;
  },
});
