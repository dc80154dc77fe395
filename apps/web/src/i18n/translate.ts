import type { Locale } from "./config";
import { en, type MessageKey } from "./en";
import { es, esCatalog } from "./es";

export type Messages = Record<MessageKey, string>;
export type { MessageKey };
export type TranslateVars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: TranslateVars) => string;

export const dictionaries: Record<Locale, Messages> = { en, es };
/** Model names, taglines and field labels come from the catalog in English; these translate them. */
export const catalogDictionaries: Record<Locale, Record<string, string>> = { en: {}, es: esCatalog };

/** `{name}` placeholders are filled from `vars`; a missing one stays visible rather than vanishing. */
export function format(template: string, vars?: TranslateVars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function createTranslate(messages: Messages): Translate {
  return (key, vars) => format(messages[key], vars);
}
