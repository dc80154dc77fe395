/**
 * Every route a model can take and how it is named: `label` to people (status messages and the
 * attempt log; what went wrong there is worded from its failure kind by @animateimg/core's status
 * codes and the web dictionaries), `operatorLabel` on the admin pages. Kept here, light, because
 * the browser and workflow code read it; the upstream providers' own records
 * (@animateimg/providers, `provider-registrations.ts`) carry the same id and names, and a test
 * and the type checker there fail when the two disagree.
 */
export const providerNames = [
  { id: "local", label: "Animate engine", operatorLabel: "Animate engine (local)" },
  { id: "kling", label: "Kling", operatorLabel: "Kling (Kuaishou)" },
  { id: "google", label: "Google", operatorLabel: "Google (Gemini API)" },
  { id: "bytedance", label: "ByteDance", operatorLabel: "ByteDance (BytePlus)" },
  { id: "kie", label: "Kie", operatorLabel: "Kie" },
  { id: "fal", label: "fal", operatorLabel: "fal" },
  { id: "replicate", label: "Replicate", operatorLabel: "Replicate" },
] as const;

/** Who can run a model: the in-house engine, a provider's own API, or an aggregator. */
export type ProviderId = (typeof providerNames)[number]["id"];

export const providerIds: readonly ProviderId[] = providerNames.map((p) => p.id);

export function providerLabel(provider: string): string {
  return providerNames.find((p) => p.id === provider)?.label ?? provider;
}

export function providerOperatorLabel(provider: string): string {
  return providerNames.find((p) => p.id === provider)?.operatorLabel ?? provider;
}
