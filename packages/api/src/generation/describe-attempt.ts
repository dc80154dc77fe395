import { failurePhrase, providerLabel } from "@animateimg/catalog";
import type { AttemptView } from "@animateimg/generations";

/** One attempt in plain words for the Activity log, e.g. "Kling was busy". */
export function describeAttempt(attempt: AttemptView): string {
  const who = providerLabel(attempt.provider);
  const seconds = attempt.latencyMs === null ? "" : ` in ${(attempt.latencyMs / 1000).toFixed(1)} s`;
  switch (attempt.outcome) {
    case "running":
      return `${who} is working on it`;
    case "succeeded":
      return `Finished on ${who}${seconds}`;
    case "canceled":
      return `Canceled while on ${who}`;
    case "timed_out":
      return `${who} took too long`;
    case "failed":
      return `${who} ${failurePhrase(attempt.errorKind)}`;
  }
}
