import { AppError } from "@animateimg/core";
import type { PolicyAcceptanceSource, Executor } from "@animateimg/db";
import { versionsSince, type PrivacyPolicy } from "../policy/privacy-policy";
import type { PolicyVersion } from "../policy/policy-versions";

export interface PolicyAcceptance {
  version: string;
  acceptedAt: Date;
}

export interface PolicyStatus {
  currentVersion: string;
  effectiveDate: string;
  /** The most recent version this person accepted, or null if none was ever recorded. */
  accepted: PolicyAcceptance | null;
  /** True until the person has accepted the current version. */
  needsAcknowledgement: boolean;
  /** Versions published since the accepted one, newest first (empty when up to date). */
  changes: PolicyVersion[];
}

/**
 * Records that a person accepted `version`. The first acceptance of a version is kept:
 * accepting again changes nothing, so the date stays the one a person first agreed on.
 */
export async function recordPolicyAcceptance(
  db: Executor,
  options: { userId: string; version: string; source: PolicyAcceptanceSource; now?: Date },
): Promise<PolicyAcceptance> {
  await db
    .insertInto("privacy_policy_acceptances")
    .values({
      user_id: options.userId,
      policy_version: options.version,
      source: options.source,
      accepted_at: options.now ?? new Date(),
    })
    .onConflict((oc) => oc.columns(["user_id", "policy_version"]).doNothing())
    .execute();
  const row = await db
    .selectFrom("privacy_policy_acceptances")
    .select(["policy_version", "accepted_at"])
    .where("user_id", "=", options.userId)
    .where("policy_version", "=", options.version)
    .executeTakeFirstOrThrow();
  return { version: row.policy_version, acceptedAt: row.accepted_at };
}

/** The latest acceptance of this person (scoped to them), or null. */
export async function latestPolicyAcceptance(
  db: Executor,
  options: { userId: string },
): Promise<PolicyAcceptance | null> {
  const row = await db
    .selectFrom("privacy_policy_acceptances")
    .select(["policy_version", "accepted_at"])
    .where("user_id", "=", options.userId)
    .orderBy("accepted_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? { version: row.policy_version, acceptedAt: row.accepted_at } : null;
}

export async function getPolicyStatus(
  db: Executor,
  options: { userId: string; policy: PrivacyPolicy },
): Promise<PolicyStatus> {
  const { policy } = options;
  // Having accepted the current version at any time is enough, whatever came after it.
  const current = await db
    .selectFrom("privacy_policy_acceptances")
    .select(["policy_version", "accepted_at"])
    .where("user_id", "=", options.userId)
    .where("policy_version", "=", policy.version)
    .executeTakeFirst();
  const accepted = current
    ? { version: current.policy_version, acceptedAt: current.accepted_at }
    : await latestPolicyAcceptance(db, { userId: options.userId });
  const upToDate = accepted?.version === policy.version;
  return {
    currentVersion: policy.version,
    effectiveDate: policy.effectiveDate,
    accepted,
    needsAcknowledgement: !upToDate,
    changes: upToDate ? [] : versionsSince(policy, accepted?.version ?? null),
  };
}

/**
 * A signed-in person acknowledges the policy they were shown. If it is no longer the current
 * one (a new version was published while the notice was open), nothing is recorded: they
 * must see what changed first.
 */
export async function acknowledgePolicy(
  db: Executor,
  options: { userId: string; policy: PrivacyPolicy; version: string; now?: Date },
): Promise<PolicyAcceptance> {
  assertCurrentVersion(options.policy, options.version);
  return recordPolicyAcceptance(db, {
    userId: options.userId,
    version: options.version,
    source: "acknowledge",
    ...(options.now ? { now: options.now } : {}),
  });
}

/** Refuses a version other than the current one (the page a person read is out of date). */
export function assertCurrentVersion(policy: PrivacyPolicy, version: string): void {
  if (version !== policy.version) {
    throw new AppError(
      "CONFLICT",
      "The privacy policy was updated while this page was open. Reload the page to read the current version.",
      { reason: "policy_version_changed" },
    );
  }
}
