"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { localeNames, locales, themes, type Locale, type Theme } from "~/i18n/config";
import { rememberLocale, rememberTheme } from "~/i18n/remember-preference";
import { useT } from "~/i18n/i18n-provider";
import type { MessageKey } from "~/i18n/translate";
import { useTRPC } from "~/trpc/react";

const themeKey: Record<Theme, MessageKey> = {
  system: "appearance.themeSystem",
  light: "appearance.themeLight",
  dark: "appearance.themeDark",
};

/**
 * Theme and language, remembered in cookies so the server renders the right ones on the
 * next request (no flash of the wrong theme, `<html lang>` correct from the first byte).
 */
export function AppearanceSection({ theme: initialTheme }: { theme: Theme }) {
  const { t, locale } = useT();
  const router = useRouter();
  const [theme, setTheme] = useState(initialTheme);
  // Checked at once; the page re-renders in the new language when the refresh arrives.
  const [chosenLocale, setChosenLocale] = useState(locale);
  // Emails follow the language too (users.locale); the page does not wait for it.
  const trpc = useTRPC();
  const setEmailLocale = useMutation(trpc.account.setLocale.mutationOptions());

  const chooseTheme = (next: Theme) => {
    setTheme(next);
    rememberTheme(next);
  };
  const chooseLocale = (next: Locale) => {
    setChosenLocale(next);
    rememberLocale(next);
    setEmailLocale.mutate({ locale: next });
    router.refresh();
  };

  return (
    <div className="settings-stack">
      <fieldset className="choice-group">
        <legend className="field-label">{t("appearance.theme")}</legend>
        {themes.map((value) => (
          <label key={value} className="checkbox">
            <input
              type="radio"
              name="theme"
              value={value}
              checked={theme === value}
              onChange={() => chooseTheme(value)}
              data-testid={`theme-${value}`}
            />
            <span>{t(themeKey[value])}</span>
          </label>
        ))}
        <p className="field-hint">{t("appearance.themeHint")}</p>
      </fieldset>
      <fieldset className="choice-group">
        <legend className="field-label">{t("appearance.language")}</legend>
        {locales.map((value) => (
          <label key={value} className="checkbox">
            <input
              type="radio"
              name="locale"
              value={value}
              checked={chosenLocale === value}
              onChange={() => chooseLocale(value)}
              lang={value}
              data-testid={`locale-${value}`}
            />
            <span lang={value}>{localeNames[value]}</span>
          </label>
        ))}
      </fieldset>
    </div>
  );
}
