import { LOCALE_COOKIE, THEME_COOKIE, preferenceCookie, type Locale, type Theme } from "./config";

/** Browser only. Outside components: writing a cookie is a side effect of a choice, not of rendering. */
export function rememberTheme(theme: Theme) {
  document.cookie = preferenceCookie(THEME_COOKIE, theme);
  // Applied at once; the cookie makes the server agree from the next request on.
  document.documentElement.dataset.theme = theme;
}

export function rememberLocale(locale: Locale) {
  document.cookie = preferenceCookie(LOCALE_COOKIE, locale);
}
