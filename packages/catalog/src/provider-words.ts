import type { ProviderId } from "./model";

/** How a route is named to people, in status messages and the attempt log. */
const providerLabels: Record<ProviderId, string> = {
  local: "Animate engine",
  kling: "Kling",
  google: "Google",
  bytedance: "ByteDance",
  kie: "Kie",
  fal: "fal",
  replicate: "Replicate",
};

export function providerLabel(provider: string): string {
  return providerLabels[provider as ProviderId] ?? provider;
}

/** What went wrong at a route, as the end of "Kling …": one wording for the workflow and the API. */
const failurePhrases: Record<string, string> = {
  transient: "had a hiccup",
  // A submit whose answer was lost at a provider we cannot search by our id: same to the person.
  submit_uncertain: "had a hiccup",
  circuit_open: "was busy",
  rate_limited: "was busy",
  invalid_input: "could not use these inputs",
  content_policy: "declined the content",
  auth: "was unavailable",
  quota: "was unavailable",
  provider_protocol: "had a hiccup",
  timeout: "took too long",
  output_unavailable: "lost the result",
  engine_error: "could not render it",
};

export function failurePhrase(kind: string | null | undefined): string {
  return failurePhrases[kind ?? ""] ?? "failed";
}
