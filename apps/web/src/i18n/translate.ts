import { formatMessage, messageArguments } from "@animateimg/core";
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

/**
 * `{name}` placeholders are filled from `vars`; a missing one stays visible rather than vanishing.
 * ICU plurals (`{count, plural, one {# credit} other {# credits}}`) follow the locale's rules.
 */
export function format(template: string, vars?: TranslateVars, locale: Locale = "en"): string {
  return formatMessage(template, vars, locale);
}

export function createTranslate(messages: Messages, locale: Locale = "en"): Translate {
  return (key, vars) => format(messages[key], vars, locale);
}

/** A server refusal's reason (AppError) in one language, or null when the dictionary has no `errors.<reason>`. */
export function errorWording(
  messages: Messages,
  locale: Locale,
): (reason: string, params: TranslateVars) => string | null {
  return (reason, params) => {
    const key = `errors.${reason}`;
    if (!Object.hasOwn(messages, key)) return null;
    const template = messages[key as MessageKey];
    // A refusal without the values its sentence needs (another site with the same reason) keeps its English.
    if (!messageArguments(template).every((name) => name in params)) return null;
    return format(template, params, locale);
  };
}
