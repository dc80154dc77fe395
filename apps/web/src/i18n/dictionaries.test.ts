import { describe, expect, it } from "vitest";
import { providerLabel } from "@animateimg/catalog";
import { englishStatusMessages, failurePhraseKeys, messageArguments, statusCodes } from "@animateimg/core";
import { locales } from "./config";
import { en } from "./en";
import { statusText } from "./status-text";
import { catalogDictionaries, createTranslate, dictionaries, format } from "./translate";

const placeholders = (text: string) => messageArguments(text);

describe("UI dictionaries", () => {
  it.each(locales)("%s has every key, none empty, with the same placeholders as English", (locale) => {
    const messages = dictionaries[locale];
    expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort());
    for (const [key, english] of Object.entries(en)) {
      const text = messages[key as keyof typeof en];
      expect(text.trim(), key).not.toBe("");
      expect(placeholders(text), key).toEqual(placeholders(english));
    }
  });

  it("translates every sentence, not only the keys (Spanish differs from English except names)", () => {
    const same = Object.entries(en)
      .filter(([key, english]) => dictionaries.es[key as keyof typeof en] === english)
      .map(([key]) => key);
    // Proper names and the product's own words may stay as they are, and a template that only
    // joins names ("{provider} {reason}" → "Kling estaba ocupado").
    expect(same).toEqual(["health.worker", "statusCode.attempt_failed"]);
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(format("{count} / {max} characters", { count: 3, max: 500 })).toBe("3 / 500 characters");
    expect(format("Hello {name}")).toBe("Hello {name}");
    expect(format("Hello {name}", {})).toBe("Hello {name}");
  });

  it("has Spanish for catalog text, and English needs none", () => {
    expect(catalogDictionaries.en).toEqual({});
    expect(catalogDictionaries.es["Camera move"]).toBe("Movimiento de cámara");
  });

  it("words every status code and failure kind the server can emit, in every language", () => {
    for (const locale of locales) {
      const messages: Record<string, string> = dictionaries[locale];
      for (const code of statusCodes) {
        expect(messages[`statusCode.${code}`]?.trim(), `${locale} statusCode.${code}`).toBeTruthy();
        expect(placeholders(messages[`statusCode.${code}`] ?? ""), `${locale} statusCode.${code}`).toEqual(
          placeholders(englishStatusMessages[code]),
        );
      }
      for (const kind of failurePhraseKeys)
        expect(messages[`failure.${kind}`]?.trim(), `${locale} failure.${kind}`).toBeTruthy();
    }
    // And nothing is left over: a dictionary entry for a code the server no longer has is dead.
    const statusKeys = Object.keys(en).filter((key) => key.startsWith("statusCode."));
    expect(statusKeys.map((key) => key.slice("statusCode.".length)).sort()).toEqual([...statusCodes].sort());
  });

  it("words a status from its code and parameters in the reader's language", () => {
    const es = createTranslate(dictionaries.es, "es");
    const tc = (text: string) => catalogDictionaries.es[text] ?? text;
    const fallback = {
      code: "provider_fallback",
      params: { from: "kie", reason: "rate_limited", to: "kling" },
      message: "Kie was busy; trying Kling",
    };
    expect(statusText(fallback, es, tc)).toBe("Kie estaba ocupado; probando con Kling");
    expect(statusText(fallback, createTranslate(dictionaries.en, "en"), (text) => text)).toBe(fallback.message);
    expect(
      statusText(
        { code: "attempt_failed", params: { provider: "local", reason: "engine_error" }, message: "" },
        es,
        tc,
      ),
    ).toBe(`${catalogDictionaries.es[providerLabel("local")]} no pudo renderizarlo`);
    // A code from a newer server: its English message, not a raw key.
    expect(statusText({ code: "from_the_future", params: {}, message: "Something new" }, es, tc)).toBe("Something new");
  });

  it("uses each language's plural rules (ICU plural syntax)", () => {
    for (const [credits, english, spanish] of [
      [1, "1 credit", "1 crédito"],
      [2, "2 credits", "2 créditos"],
      [0, "0 credits", "0 créditos"],
    ] as const) {
      expect(createTranslate(dictionaries.en, "en")("activity.credits", { credits })).toBe(english);
      expect(createTranslate(dictionaries.es, "es")("activity.credits", { credits })).toBe(spanish);
    }
    expect(format("{n, plural, =0 {none} one {# item} other {# items}}", { n: 0 })).toBe("none");
    expect(format("{n, plural, one {# item} other {# items} } left", { n: 3 })).toBe("3 items left");
    expect(format("{n, plural, one {# item} other {# items}}")).toBe("{n, plural, one {# item} other {# items}}");
    // A nested plural counts its own number.
    expect(
      format("{a, plural, one {# box of {b, plural, one {# egg} other {# eggs}}} other {# boxes}}", { a: 1, b: 6 }),
    ).toBe("1 box of 6 eggs");
    expect(createTranslate(dictionaries.es, "es")("statusCode.credits_owed", { owed: 1 })).toMatch(
      /^Tu cuenta debe 1 crédito tras/,
    );
  });
});
