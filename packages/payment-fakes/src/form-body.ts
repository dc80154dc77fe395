// Stripe's SDK sends bodies and query strings form-encoded with bracket keys
// (`line_items[0][price_data][currency]=usd`, `metadata[user_id]=…`); this turns them back into
// nested objects and arrays.
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

export function parseBracketForm(body: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const parts = rawKey.split(/\[|\]\[|\]/).filter((p, i) => i === 0 || p !== "");
    let node: Record<string, FormValue> | FormValue[] = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const key: string | number = Array.isArray(node) ? Number(part) : part;
      if (last) {
        (node as Record<string | number, FormValue>)[key] = value;
        return;
      }
      const nextIsIndex = /^\d+$/.test(parts[i + 1] ?? "");
      const container = node as Record<string | number, FormValue>;
      container[key] ??= nextIsIndex ? [] : {};
      node = container[key] as Record<string, FormValue> | FormValue[];
    });
  }
  return root;
}

export const str = (value: FormValue | undefined): string | undefined =>
  typeof value === "string" ? value : undefined;
export const obj = (value: FormValue | undefined): Record<string, FormValue> =>
  value && typeof value === "object" && !Array.isArray(value) ? value : {};
