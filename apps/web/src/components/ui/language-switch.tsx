"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { localeNames, locales, type Locale } from "~/i18n/config";
import { useT } from "~/i18n/i18n-provider";
import { rememberLocale } from "~/i18n/remember-preference";

/** In the footer, so visitors (who have no Settings) can read the site in their language too. */
export function LanguageSwitch() {
  const { t, locale } = useT();
  const router = useRouter();
  const id = useId();
  const [chosen, setChosen] = useState(locale);
  return (
    <span className="language-switch">
      <label htmlFor={id}>{t("appearance.language")}</label>
      <select
        id={id}
        value={chosen}
        onChange={(event) => {
          const next = event.target.value as Locale;
          setChosen(next);
          rememberLocale(next);
          router.refresh();
        }}
      >
        {locales.map((value) => (
          <option key={value} value={value} lang={value}>
            {localeNames[value]}
          </option>
        ))}
      </select>
    </span>
  );
}
