"use client";

import { createContext, useContext, useMemo, type ReactNode } from "react";
import type { Locale } from "./config";
import { createTranslate, errorWording, format, type Messages, type Translate } from "./translate";

interface I18nValue {
  locale: Locale;
  t: Translate;
  /** Catalog text (model names, field labels) in the reader's language, English when untranslated. */
  tc: (text: string) => string;
  /** A server refusal's reason in this language (`errors.<reason>`), or null when there is no entry. */
  wordError: (reason: string, params: Record<string, string | number>) => string | null;
}

const I18nContext = createContext<I18nValue | null>(null);

/**
 * The server hands in only the active language's strings (as props, so they travel in the
 * page's data rather than in every page's JavaScript).
 */
export function I18nProvider({
  locale,
  messages,
  catalog,
  children,
}: {
  locale: Locale;
  messages: Messages;
  catalog: Record<string, string>;
  children: ReactNode;
}) {
  const value = useMemo<I18nValue>(() => {
    const t = createTranslate(messages, locale);
    return { locale, t, tc: (text: string) => catalog[text] ?? text, wordError: errorWording(messages, locale) };
  }, [locale, messages, catalog]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useT(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useT() needs <I18nProvider> (set up in the root layout).");
  return value;
}

export { format };
