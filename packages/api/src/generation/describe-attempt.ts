import type { Status, WordedStatus } from "@animateimg/core";
import { wordStatus, type AttemptView } from "@animateimg/generations";

/** One attempt for the Activity log as a code, e.g. {code: "attempt_failed", params: {provider: "kling", reason: "rate_limited"}}. */
export function describeAttempt(attempt: AttemptView): WordedStatus {
  const provider = attempt.provider;
  const status: Status = (() => {
    switch (attempt.outcome) {
      case "running":
        return { code: "attempt_running", params: { provider } };
      case "succeeded":
        return attempt.latencyMs === null
          ? { code: "attempt_succeeded", params: { provider } }
          : { code: "attempt_succeeded_in", params: { provider, seconds: (attempt.latencyMs / 1000).toFixed(1) } };
      case "canceled":
        return { code: "attempt_canceled", params: { provider } };
      case "timed_out":
        return { code: "attempt_timed_out", params: { provider } };
      case "failed":
        return { code: "attempt_failed", params: { provider, reason: attempt.errorKind ?? "other" } };
    }
  })();
  return wordStatus(status);
}
