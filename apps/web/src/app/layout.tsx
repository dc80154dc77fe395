import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { SiteHeader } from "~/components/site-header";
import { SiteFooter } from "~/components/ui/site-footer";
import { PrivacyNoticeSlot } from "~/components/privacy/privacy-notice-slot";
import { DeletionNoticeSlot } from "~/components/account-deletion/deletion-notice-slot";
import { I18nProvider } from "~/i18n/i18n-provider";
import { getPreferences } from "~/i18n/server";
import { catalogDictionaries, dictionaries } from "~/i18n/translate";
import { TRPCReactProvider } from "~/trpc/react";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPreferences();
  const messages = dictionaries[locale];
  return { title: messages["meta.title"], description: messages["meta.description"] };
}

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#0b0d12" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Language and theme come from cookies, so the first byte already has the right `lang` and
  // colours (no flash of the wrong theme); "system" leaves it to prefers-color-scheme.
  const { locale, theme } = await getPreferences();
  return (
    <html lang={locale} data-theme={theme}>
      <body>
        <I18nProvider locale={locale} messages={dictionaries[locale]} catalog={catalogDictionaries[locale]}>
          <TRPCReactProvider>
            <a href="#main" className="skip-link">
              {dictionaries[locale]["nav.skip"]}
            </a>
            <SiteHeader />
            <DeletionNoticeSlot />
            <PrivacyNoticeSlot />
            <div id="main">{children}</div>
            <SiteFooter />
          </TRPCReactProvider>
        </I18nProvider>
      </body>
    </html>
  );
}
