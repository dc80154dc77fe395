/** Shared by server and client code: the locales and themes we offer and their cookies. */
export const locales = ["en", "es"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "en";
/** Each language named in itself, so a reader finds theirs whatever the current language. */
export const localeNames: Record<Locale, string> = { en: "English", es: "Español" };

export const themes = ["system", "light", "dark"] as const;
export type Theme = (typeof themes)[number];

export const LOCALE_COOKIE = "animateimg_locale";
export const THEME_COOKIE = "animateimg_theme";
/** One year: a preference, not a session. */
export const PREFERENCE_MAX_AGE_SECONDS = 60 * 60 * 24 * 365;

export const parseLocale = (value: string | undefined | null): Locale =>
  (locales as readonly string[]).includes(value ?? "") ? (value as Locale) : defaultLocale;
export const parseTheme = (value: string | undefined | null): Theme =>
  (themes as readonly string[]).includes(value ?? "") ? (value as Theme) : "system";

/** Written by the browser (no server round trip), read by the server on the next render. */
export function preferenceCookie(name: string, value: string): string {
  return `${name}=${value}; path=/; max-age=${PREFERENCE_MAX_AGE_SECONDS}; samesite=lax`;
}
