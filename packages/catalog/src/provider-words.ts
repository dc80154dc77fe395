import type { ProviderId } from "./model";

/**
 * How a route is named to people, in status messages and the attempt log (what went wrong there
 * is worded from its failure kind by @animateimg/core's status codes and the web dictionaries).
 */
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
