// Every refusal the server can send (an AppError's reason) is either worded by the dictionaries
// in every language, or on the list below of reasons that still reach readers in the server's
// English. The list only shrinks: a new reason without dictionary entries fails here.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { messageArguments } from "@animateimg/core";
import { locales } from "./config";
import { translateError } from "../trpc/translate-errors-link";
import { dictionaries, errorWording } from "./translate";

const root = path.resolve(import.meta.dirname, "../../../..");

/**
 * Reasons still worded only by the server (English). Most carry values (sizes, labels, limits)
 * their call sites do not yet pass as params, or share one reason between different sentences.
 */
const englishOnlyReasons = [
  "account_not_found",
  "age_not_confirmed",
  "asset_not_deleted",
  "corrupt_image",
  "email_taken",
  "file_unreadable",
  "invalid_animate_params",
  "invalid_cursor",
  "invalid_email",
  "invalid_idempotency_key",
  "invalid_key_name",
  "invalid_name",
  "invalid_params",
  "invalid_token",
  "invalid_unsubscribe_token",
  "invalid_webhook_description",
  "invalid_webhook_events",
  "invalid_webhook_url",
  "last_sign_in_method",
  "markup_refused",
  "missing_file",
  "model_unavailable",
  "no_receipt",
  "not_a_video",
  "not_an_image",
  "not_signed_in",
  "oauth_already_linked",
  "oauth_denied",
  "oauth_email_unverified",
  "oauth_failed",
  "oauth_no_email",
  "oauth_not_linked",
  "oauth_provider_disabled",
  "output_not_ready",
  "photo_too_large",
  "photo_too_small",
  "polyglot_refused",
  "rate_limited",
  "render_failed",
  "same_email",
  "too_many_api_keys",
  "too_many_pixels",
  "too_many_webhook_endpoints",
  "unknown_model",
  "unreadable_photo",
  "unsupported_codec",
  "unsupported_poster_format",
  "unsupported_type",
  "upload_too_large",
  "video_dimensions",
  "video_duration",
  "video_too_large",
  "weak_password",
  "wrong_kind",
  "wrong_password",
];

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

describe("server refusals in the dictionaries", () => {
  const reasons = [
    ...new Set(appErrorCalls().flatMap(({ call }) => [...call.matchAll(/reason: "([a-z0-9_]+)"/g)].map((m) => m[1]!))),
  ].sort();

  it("finds the refusals in the source (the scan itself works)", () => {
    expect(reasons.length).toBeGreaterThan(50);
    expect(reasons).toContain("insufficient_credits");
  });

  it("words every reason the server can send in every language, except the listed English-only ones", () => {
    for (const locale of locales) {
      const messages: Record<string, string> = dictionaries[locale];
      const missing = reasons.filter(
        (reason) => !englishOnlyReasons.includes(reason) && !messages[`errors.${reason}`]?.trim(),
      );
      expect(missing, `${locale} lacks errors.<reason> for`).toEqual([]);
      for (const key of Object.keys(messages).filter((k) => k.startsWith("errors."))) {
        expect(messageArguments(messages[key]!), `${locale} ${key}`).toEqual(
          messageArguments(dictionaries.en[key as keyof typeof dictionaries.en]),
        );
      }
    }
    // A reason that gained its entries (or left the code) leaves the list too.
    const stale = englishOnlyReasons.filter(
      (reason) => !reasons.includes(reason) || `errors.${reason}` in dictionaries.en,
    );
    expect(stale).toEqual([]);
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

    const unknown = { message: "Something only the server words.", data: { reason: "photo_too_large", params: null } };
    translateError(unknown, errorWording(dictionaries.es, "es"));
    expect(unknown.message).toBe("Something only the server words.");
  });
});
