import { policyText } from "./policy-text.generated";
import { policyVersions, type PolicyVersion } from "./policy-versions";

/** The policy the product shows and asks people to accept. */
export interface PrivacyPolicy extends PolicyVersion {
  /** The policy's text as shipped (with the contact placeholder; see parsePolicyText). */
  text: string;
  /** Every published version, newest first (the current one included). */
  history: readonly PolicyVersion[];
}

/** The current policy. Tests build their own with `definePrivacyPolicy` to publish a new version. */
export function currentPrivacyPolicy(): PrivacyPolicy {
  return definePrivacyPolicy({ text: policyText, history: policyVersions });
}

export function definePrivacyPolicy(options: { text: string; history: readonly PolicyVersion[] }): PrivacyPolicy {
  const [current] = options.history;
  if (!current) throw new Error("a privacy policy needs at least one published version");
  return { ...current, text: options.text, history: options.history };
}

/**
 * What changed for someone who last accepted `acceptedVersion` (null: never accepted one):
 * the versions published after it, newest first. A version unknown to this build (e.g. a
 * rolled-back deploy) counts as older than all of them, so the person sees every note.
 */
export function versionsSince(policy: PrivacyPolicy, acceptedVersion: string | null): PolicyVersion[] {
  const index = acceptedVersion === null ? -1 : policy.history.findIndex((v) => v.version === acceptedVersion);
  return index === -1 ? [...policy.history] : policy.history.slice(0, index);
}
