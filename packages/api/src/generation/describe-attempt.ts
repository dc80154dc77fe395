import type { AttemptView } from "@animateimg/generations";

const providerNames: Record<string, string> = {
  local: "Animate engine",
  kling: "Kling",
  google: "Google",
  bytedance: "ByteDance",
  kie: "Kie",
  fal: "fal",
  replicate: "Replicate",
};

const failureWords: Record<string, string> = {
  transient: "had a hiccup",
  rate_limited: "was busy",
  invalid_input: "could not use these inputs",
  content_policy: "declined the content",
  auth: "was unavailable",
  quota: "was unavailable",
  timeout: "took too long",
  engine_error: "could not render it",
};

/** One attempt in plain words for the Activity log, e.g. "Kling was busy". */
export function describeAttempt(attempt: AttemptView): string {
  const who = providerNames[attempt.provider] ?? attempt.provider;
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
      return `${who} ${failureWords[attempt.errorKind ?? ""] ?? "failed"}`;
  }
}
