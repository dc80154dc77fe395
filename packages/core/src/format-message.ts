/**
 * Fills a message template, ICU style: `{name}` is replaced by a value, and
 * `{count, plural, one {# credit} other {# credits}}` picks the branch the locale's plural
 * rules (Intl.PluralRules) give for the number, `=0 {…}`-style exact matches first, with `#`
 * standing for the number; `{kind, select, pdf {…} other {…}}` picks the branch named by the
 * value, else `other`. A placeholder without a value stays visible rather than vanishing.
 * One implementation for the web app's dictionaries and the server's English fallback.
 */
export type MessageVars = Record<string, string | number>;

export function formatMessage(template: string, vars: MessageVars | undefined, locale = "en"): string {
  let out = "";
  let index = 0;
  while (index < template.length) {
    const open = template.indexOf("{", index);
    if (open === -1) break;
    const close = matchingBrace(template, open);
    if (close === -1) break;
    out += template.slice(index, open);
    out += formatArgument(template.slice(open + 1, close), template.slice(open, close + 1), vars, locale);
    index = close + 1;
  }
  return out + template.slice(index);
}

function formatArgument(inner: string, whole: string, vars: MessageVars | undefined, locale: string): string {
  const comma = inner.indexOf(",");
  const name = (comma === -1 ? inner : inner.slice(0, comma)).trim();
  const value = vars?.[name];
  // Plain numbers as they are (a year must not become "2,026"); plural's `#` follows the locale.
  if (comma === -1) return value === undefined ? whole : String(value);
  const rest = inner.slice(comma + 1);
  const secondComma = rest.indexOf(",");
  const kind = rest.slice(0, secondComma === -1 ? undefined : secondComma).trim();
  if (kind === "select" && secondComma !== -1 && value !== undefined) {
    const branches = parseBranches(rest.slice(secondComma + 1));
    const chosen = branches.get(String(value)) ?? branches.get("other");
    return chosen === undefined ? String(value) : formatMessage(chosen, vars, locale);
  }
  if (kind !== "plural" || secondComma === -1 || typeof value !== "number")
    return value === undefined ? whole : String(value);
  const branches = parseBranches(rest.slice(secondComma + 1));
  const chosen =
    branches.get(`=${value}`) ??
    branches.get(new Intl.PluralRules(locale).select(value)) ??
    branches.get("other") ??
    String(value);
  // `#` is the number (as plain as `{name}` shows it); nested arguments are filled too, a
  // nested plural's own `#` being its own number.
  return formatMessage(replaceOwnHashes(chosen, String(value)), vars, locale);
}

/** Replaces `#` outside any nested `{…}`. */
function replaceOwnHashes(text: string, value: string): string {
  let depth = 0;
  let out = "";
  for (const char of text) {
    if (char === "{") depth += 1;
    else if (char === "}") depth -= 1;
    out += char === "#" && depth === 0 ? value : char;
  }
  return out;
}

/** `one {…} other {…}` → selector → text. */
function parseBranches(source: string): Map<string, string> {
  const branches = new Map<string, string>();
  let index = 0;
  while (index < source.length) {
    const open = source.indexOf("{", index);
    if (open === -1) break;
    const close = matchingBrace(source, open);
    if (close === -1) break;
    const selector = source.slice(index, open).trim();
    if (selector) branches.set(selector, source.slice(open + 1, close));
    index = close + 1;
  }
  return branches;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index += 1) {
    if (text[index] === "{") depth += 1;
    else if (text[index] === "}") {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  return -1;
}

/** The argument names a template uses (`{name}` and `{name, plural, …}`), for dictionary checks. */
export function messageArguments(template: string): string[] {
  const names = new Set<string>();
  let index = 0;
  while (index < template.length) {
    const open = template.indexOf("{", index);
    if (open === -1) break;
    const close = matchingBrace(template, open);
    if (close === -1) break;
    const inner = template.slice(open + 1, close);
    const comma = inner.indexOf(",");
    const name = (comma === -1 ? inner : inner.slice(0, comma)).trim();
    if (/^\w+$/.test(name)) names.add(name);
    if (comma !== -1)
      for (const branch of parseBranches(inner.slice(inner.indexOf(",", comma + 1) + 1)).values())
        for (const nested of messageArguments(branch)) names.add(nested);
    index = close + 1;
  }
  return [...names].sort();
}
