import type { AccountDeletionReason, Executor } from "@animateimg/db";
import { defaultAccountDeletionSettings, type AccountDeletionSettings } from "./deletion-settings";

/** How the person confirms it is them: their password, or a GitHub/Google sign-in until `freshUntil`. */
export type Reauthentication = { method: "password" } | { method: "recent_sign_in"; freshUntil: Date | null };

interface StatusCommon {
  reauthentication: Reauthentication;
  /** The grace period a request made now would get. */
  gracePeriodMs: number;
}

export type AccountDeletionStatus =
  | ({ state: "none" } & StatusCommon)
  | ({ state: "scheduled"; eraseAfter: Date; requestedAt: Date; reason: AccountDeletionReason } & StatusCommon)
  | ({ state: "erasing" } & StatusCommon);

/** What Settings shows: whether a deletion is scheduled (and when it happens) and how to confirm one. */
export async function getAccountDeletionStatus(
  db: Executor,
  options: { userId: string; sessionId: string; settings?: AccountDeletionSettings; now?: Date },
): Promise<AccountDeletionStatus> {
  const now = options.now ?? new Date();
  const settings = options.settings ?? defaultAccountDeletionSettings;
  const user = await db.selectFrom("users").select("password_hash").where("id", "=", options.userId).executeTakeFirst();
  let reauthentication: Reauthentication = { method: "password" };
  if (user && user.password_hash === null) {
    const session = await db
      .selectFrom("sessions")
      .select("created_at")
      .where("id", "=", options.sessionId)
      .where("user_id", "=", options.userId)
      .executeTakeFirst();
    const freshUntil = session ? new Date(session.created_at.getTime() + settings.reauthenticationWindowMs) : null;
    reauthentication = { method: "recent_sign_in", freshUntil: freshUntil && freshUntil > now ? freshUntil : null };
  }
  const request = await db
    .selectFrom("account_deletion_requests")
    .select(["status", "erase_after", "requested_at", "reason"])
    .where("user_id", "=", options.userId)
    .executeTakeFirst();
  const common = { reauthentication, gracePeriodMs: settings.gracePeriodMs };
  if (!request) return { state: "none", ...common };
  if (request.status === "erasing") return { state: "erasing", ...common };
  return {
    state: "scheduled",
    eraseAfter: request.erase_after,
    requestedAt: request.requested_at,
    reason: request.reason,
    ...common,
  };
}
