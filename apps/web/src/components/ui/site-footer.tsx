import Link from "next/link";
import { getT } from "~/i18n/server";
import { getCurrentSession } from "~/server/session";
import { LanguageSwitch } from "./language-switch";

export async function SiteFooter() {
  const { t, locale } = await getT();
  const session = await getCurrentSession();
  return (
    <footer className="site-footer">
      <nav aria-label={t("nav.footer")}>
        <Link href="/gallery">{t("nav.gallery")}</Link>
        <Link href="/status">{t("status.title")}</Link>
        <Link href="/privacy">{t("privacy.title")}</Link>
      </nav>
      {/* Keyed by the language, so a change made in Settings resets the switch too. */}
      <LanguageSwitch key={locale} signedIn={session !== null} />
    </footer>
  );
}
