"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { localeNames, locales, type Locale } from "~/i18n/config";
import { useT } from "~/i18n/i18n-provider";
import { rememberLocale } from "~/i18n/remember-preference";
import { useTRPC } from "~/trpc/react";

/**
 * In the footer, so visitors (who have no Settings) can read the site in their language too.
 * A signed-in person's emails follow the switch (users.locale).
 */
export function LanguageSwitch({ signedIn }: { signedIn: boolean }) {
  const { t, locale } = useT();
  const trpc = useTRPC();
  const setEmailLocale = useMutation(trpc.account.setLocale.mutationOptions());
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
          if (signedIn) setEmailLocale.mutate({ locale: next });
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
