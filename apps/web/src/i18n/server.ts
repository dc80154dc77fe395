import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import { LOCALE_COOKIE, THEME_COOKIE, parseLocale, parseTheme, type Locale, type Theme } from "./config";
import { wordRefusalQuery } from "./refusal-query";
import { createTranslate, dictionaries, type Translate } from "./translate";

/** The reader's chosen language and theme (cookies set in Settings → Appearance). */
export const getPreferences = cache(async (): Promise<{ locale: Locale; theme: Theme }> => {
  const store = await cookies();
  return { locale: parseLocale(store.get(LOCALE_COOKIE)?.value), theme: parseTheme(store.get(THEME_COOKIE)?.value) };
});

/** `t()` for server components. */
export async function getT(): Promise<{ t: Translate; locale: Locale }> {
  const { locale } = await getPreferences();
  return { t: createTranslate(dictionaries[locale], locale), locale };
}

/** A refusal that came back in a redirect's query, in the reader's language (see wordRefusalQuery). */
export async function wordRedirectError(query: Record<string, string | string[] | undefined>): Promise<string | null> {
  const { locale } = await getPreferences();
  return wordRefusalQuery(query, locale);
}
