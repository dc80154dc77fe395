import { describe, expect, it } from "vitest";
import { wordRefusalQuery } from "./refusal-query";

describe("a refused sign-in's redirect, worded for the reader", () => {
  it("words a known reason with its values in Spanish", () => {
    const query = {
      error: "GitHub did not confirm your sign-in. Please try again.",
      reason: "oauth_failed",
      params: JSON.stringify({ provider: "GitHub" }),
    };
    expect(wordRefusalQuery(query, "es")).toBe("GitHub no confirmó tu inicio de sesión. Inténtalo de nuevo.");
    expect(wordRefusalQuery(query, "en")).toBe("GitHub did not confirm your sign-in. Please try again.");
  });

  it("keeps the English when the reason is unknown, its values are missing or the link was tampered with", () => {
    expect(wordRefusalQuery({ error: "Something new.", reason: "not_a_reason_we_know" }, "es")).toBe("Something new.");
    expect(wordRefusalQuery({ error: "GitHub did not confirm.", reason: "oauth_failed" }, "es")).toBe(
      "GitHub did not confirm.",
    );
    expect(
      wordRefusalQuery({ error: "GitHub did not confirm.", reason: "oauth_failed", params: "{not json" }, "es"),
    ).toBe("GitHub did not confirm.");
    expect(wordRefusalQuery({ error: "Unknown sign-in provider.", reason: "oauth_unknown_provider" }, "es")).toBe(
      "Proveedor de inicio de sesión desconocido.",
    );
  });

  it("is nothing without an error", () => {
    expect(wordRefusalQuery({ reason: "oauth_failed" }, "es")).toBeNull();
  });
});
