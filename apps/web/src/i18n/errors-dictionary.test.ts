// Every refusal the server can send (an AppError's reason) is worded by the dictionaries in every
// language, from the params its call site passes. An AppError without a reason (or with one the
// scan cannot read) fails here, and so does a new reason without dictionary entries.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { messageArguments } from "@animateimg/core";
import { locales } from "./config";
import { translateError } from "../trpc/translate-errors-link";
import { dictionaries, errorWording } from "./translate";

const root = path.resolve(import.meta.dirname, "../../../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** The text of each `new AppError(…)` call in the server's source. */
function appErrorCalls(): { file: string; call: string }[] {
  const files = ["packages", "apps"].flatMap((top) =>
    readdirSync(path.join(root, top)).flatMap((name) => {
      const src = path.join(root, top, name, "src");
      try {
        return sourceFiles(src);
      } catch {
        return [];
      }
    }),
  );
  const calls: { file: string; call: string }[] = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/new AppError\(/g)) {
      let depth = 1;
      let index = match.index + match[0].length;
      while (depth > 0 && index < text.length) {
        const char = text[index];
        if (char === "(" || char === "[" || char === "{") depth += 1;
        else if (char === ")" || char === "]" || char === "}") depth -= 1;
        index += 1;
      }
      calls.push({ file: path.relative(root, file), call: text.slice(match.index, index) });
    }
  }
  return calls;
}

/** The keys of a call's `params: {…}` literal; null when params come from elsewhere (a variable or a call). */
function literalParamKeys(call: string): string[] | null {
  const start = /params: \{/.exec(call);
  if (!start) return /params[:,\s]/.test(call) ? null : [];
  let depth = 1;
  let index = start.index + start[0].length;
  const parts: string[] = [];
  let part = "";
  while (depth > 0 && index < call.length) {
    const char = call[index]!;
    if (char === "(" || char === "[" || char === "{") depth += 1;
    else if (char === ")" || char === "]" || char === "}") depth -= 1;
    if (depth === 1 && char === ",") {
      parts.push(part);
      part = "";
    } else if (depth > 0) part += char;
    index += 1;
  }
  parts.push(part);
  return parts.map((text) => /^\s*(\w+)/.exec(text)?.[1]).filter((key): key is string => key !== undefined);
}

describe("server refusals in the dictionaries", () => {
  const calls = appErrorCalls();
  const reasons = [
    ...new Set(calls.flatMap(({ call }) => [...call.matchAll(/reason: "([a-z0-9_]+)"/g)].map((m) => m[1]!))),
  ].sort();

  it("finds the refusals in the source (the scan itself works)", () => {
    expect(reasons.length).toBeGreaterThan(100);
    expect(reasons).toContain("insufficient_credits");
  });

  it("gives every AppError a reason written as a literal (so this scan and the dictionaries can see it)", () => {
    const without = calls
      .filter(({ call }) => !/reason: "[a-z0-9_]+"/.test(call))
      .map(({ file, call }) => `${file}: ${call}`);
    expect(without).toEqual([]);
  });

  it("passes every value a reason's sentence needs from each call site", () => {
    const short = calls.flatMap(({ file, call }) => {
      const reason = /reason: "([a-z0-9_]+)"/.exec(call)?.[1];
      const template = reason ? (dictionaries.en as Record<string, string>)[`errors.${reason}`] : undefined;
      const keys = literalParamKeys(call);
      if (!template || keys === null) return [];
      const missing = messageArguments(template).filter((name) => !keys.includes(name));
      return missing.length > 0 ? [`${file} ${reason}: ${missing.join(", ")}`] : [];
    });
    // The ledger's own refusal (a balance spent between the price check and the reservation)
    // cannot know the values; the reader gets the server's English, as the last test shows.
    expect(short).toEqual(["packages/billing/src/ledger.ts insufficient_credits: available, pending, price"]);
  });

  it("words every reason the server can send in every language", () => {
    for (const locale of locales) {
      const messages: Record<string, string> = dictionaries[locale];
      const missing = reasons.filter((reason) => !messages[`errors.${reason}`]?.trim());
      expect(missing, `${locale} lacks errors.<reason> for`).toEqual([]);
      for (const key of Object.keys(messages).filter((k) => k.startsWith("errors."))) {
        expect(messageArguments(messages[key]!), `${locale} ${key}`).toEqual(
          messageArguments(dictionaries.en[key as keyof typeof dictionaries.en]),
        );
      }
    }
    // And the dictionaries word no reason the server cannot send.
    const dead = Object.keys(dictionaries.en)
      .filter((key) => key.startsWith("errors."))
      .map((key) => key.slice("errors.".length))
      .filter((reason) => !reasons.includes(reason));
    expect(dead).toEqual([]);
  });

  it("puts the reader's language in the error the UI shows, English kept for fields it did not repeat", () => {
    const error = {
      message: "This costs 3 credits and you have 1. Buy credits or choose cheaper settings.",
      data: {
        reason: "insufficient_credits",
        params: { price: 3, available: 1, pending: 0 },
        fieldErrors: { prompt: ["Too long."] },
      },
    };
    translateError(error, errorWording(dictionaries.es, "es"));
    expect(error.message).toBe("Esto cuesta 3 créditos y tienes 1. Compra créditos o elige ajustes más económicos.");
    expect(error.data).toMatchObject({
      englishMessage: "This costs 3 credits and you have 1. Buy credits or choose cheaper settings.",
    });
    expect(error.data.fieldErrors.prompt).toEqual(["Too long."]);

    const one = {
      message: "English",
      data: { reason: "insufficient_credits", params: { price: 1, available: 0, pending: 2 } },
    };
    translateError(one, errorWording(dictionaries.es, "es"));
    expect(one.message).toMatch(/^Esto cuesta 1 crédito y te quedan 0 tras/);

    // The same reason without the values its sentence needs (the ledger's own refusal) stays English.
    const bare = {
      message: "You do not have enough credits for this.",
      data: { reason: "insufficient_credits", params: null },
    };
    translateError(bare, errorWording(dictionaries.es, "es"));
    expect(bare.message).toBe("You do not have enough credits for this.");

    const unknown = {
      message: "Something only a newer server words.",
      data: { reason: "from_the_future", params: null },
    };
    translateError(unknown, errorWording(dictionaries.es, "es"));
    expect(unknown.message).toBe("Something only a newer server words.");
  });
});
