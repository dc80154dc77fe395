"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { LOCALE_COOKIE, THEME_COOKIE, localeNames, locales, preferenceCookie, themes, type Locale, type Theme } from "~/i18n/config";
import { useT } from "~/i18n/i18n-provider";
import type { MessageKey } from "~/i18n/translate";

/** Outside the component: writing a cookie and the root's theme are side effects of a choice, not of rendering. */
function rememberTheme(theme: Theme) {
  document.cookie = preferenceCookie(THEME_COOKIE, theme);
  // Applied at once here; the cookie makes the server agree from the next request on.
  document.documentElement.dataset.theme = theme;
}
function rememberLocale(locale: Locale) {
  document.cookie = preferenceCookie(LOCALE_COOKIE, locale);
}

const themeKey: Record<Theme, MessageKey> = { system: "appearance.themeSystem", light: "appearance.themeLight", dark: "appearance.themeDark" };

/**
 * Theme and language, remembered in cookies so the server renders the right ones on the
 * next request (no flash of the wrong theme, `<html lang>` correct from the first byte).
 */
export function AppearanceSection({ theme: initialTheme }: { theme: Theme }) {
  const { t, locale } = useT();
  const router = useRouter();
  const [theme, setTheme] = useState(initialTheme);

  const chooseTheme = (next: Theme) => {
    setTheme(next);
    rememberTheme(next);
  };
  const chooseLocale = (next: Locale) => {
    rememberLocale(next);
    router.refresh();
  };

  return (
    <div className="settings-stack">
      <fieldset className="choice-group">
        <legend className="field-label">{t("appearance.theme")}</legend>
        {themes.map((value) => (
          <label key={value} className="checkbox">
            <input type="radio" name="theme" value={value} checked={theme === value} onChange={() => chooseTheme(value)} data-testid={`theme-${value}`} />
            <span>{t(themeKey[value])}</span>
          </label>
        ))}
        <p className="field-hint">{t("appearance.themeHint")}</p>
      </fieldset>
      <fieldset className="choice-group">
        <legend className="field-label">{t("appearance.language")}</legend>
        {locales.map((value) => (
          <label key={value} className="checkbox">
            <input type="radio" name="locale" value={value} checked={locale === value} onChange={() => chooseLocale(value)} lang={value} data-testid={`locale-${value}`} />
            <span lang={value}>{localeNames[value]}</span>
          </label>
        ))}
      </fieldset>
    </div>
  );
}
