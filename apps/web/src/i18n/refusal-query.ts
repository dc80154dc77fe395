import type { Locale } from "./config";
import { dictionaries, errorWording } from "./translate";

/**
 * A refusal that came back in a redirect's query (a refused OAuth sign-in: `error` holds the
 * server's English, `reason` and `params` what it is made of): worded in `locale` when the
 * dictionary knows the reason, else the English as sent; null when there is no refusal.
 */
export function wordRefusalQuery(query: Record<string, string | string[] | undefined>, locale: Locale): string | null {
  const english = typeof query.error === "string" ? query.error : null;
  if (!english) return null;
  const reason = typeof query.reason === "string" ? query.reason : null;
  if (!reason) return english;
  const values: Record<string, string | number> = {};
  try {
    const parsed: unknown = typeof query.params === "string" ? JSON.parse(query.params) : {};
    if (parsed && typeof parsed === "object") {
      for (const [name, value] of Object.entries(parsed)) {
        if (typeof value === "string" || typeof value === "number") values[name] = value;
      }
    }
  } catch {
    // A hand-edited link: the reason alone still words sentences that need no values.
  }
  return errorWording(dictionaries[locale], locale)(reason, values) ?? english;
}
