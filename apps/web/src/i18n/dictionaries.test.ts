import { describe, expect, it } from "vitest";
import { locales } from "./config";
import { en } from "./en";
import { catalogDictionaries, dictionaries, format } from "./translate";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

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
    // Proper names and the product's own words may stay as they are.
    expect(same).toEqual(["health.worker"]);
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
});
