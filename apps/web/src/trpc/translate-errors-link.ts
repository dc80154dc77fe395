import type { TRPCLink } from "@trpc/client";
import { observable } from "@trpc/server/observable";
import type { AppRouter } from "@animateimg/api";

interface ErrorData {
  reason?: string | null;
  params?: Record<string, string | number> | null;
  fieldErrors?: Record<string, string[]> | null;
  /** The server's English sentence, kept when the message is translated. */
  englishMessage?: string;
}

/** Words a refusal's reason in the reader's language, or null when the dictionary has no entry for it. */
export type WordError = (reason: string, params: Record<string, string | number>) => string | null;

/**
 * Server refusals (AppError) arrive as a reason code, its parameters and an English sentence.
 * This link puts the reader's-language sentence in `error.message` where the dictionaries know
 * the reason (`errors.<reason>`), so every place that shows `error.message` shows it translated;
 * a field error that repeated the English sentence is translated with it. Unknown reasons keep
 * the English, which is written for people too.
 */
export function translateErrorsLink(wordError: () => WordError | null): TRPCLink<AppRouter> {
  return () =>
    ({ next, op }) =>
      observable((observer) =>
        next(op).subscribe({
          next: (value) => observer.next(value),
          error: (error) => {
            const wording = wordError();
            if (wording) translateError(error, wording);
            observer.error(error);
          },
          complete: () => observer.complete(),
        }),
      );
}

export function translateError(error: { message: string; data?: unknown }, wordError: WordError): void {
  const data = error.data as ErrorData | null | undefined;
  if (!data?.reason) return;
  const worded = wordError(data.reason, data.params ?? {});
  if (!worded || worded === error.message) return;
  const english = error.message;
  data.englishMessage = english;
  if (data.fieldErrors) {
    for (const [field, messages] of Object.entries(data.fieldErrors)) {
      data.fieldErrors[field] = messages.map((message) => (message === english ? worded : message));
    }
  }
  error.message = worded;
}
