const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * How long a requested deletion waits before anything is erased (ACCOUNT_DELETION_GRACE_DAYS
 * in the apps' environment). During it, signing in offers to cancel.
 */
export const DEFAULT_DELETION_GRACE_PERIOD_MS = 7 * DAY_MS;

/**
 * An account with no password proves it is its owner by a fresh GitHub/Google sign-in: the
 * current session must have been created at most this long ago.
 */
export const DEFAULT_REAUTHENTICATION_WINDOW_MS = 10 * MINUTE_MS;

export interface AccountDeletionSettings {
  gracePeriodMs: number;
  reauthenticationWindowMs: number;
}

export const defaultAccountDeletionSettings: AccountDeletionSettings = {
  gracePeriodMs: DEFAULT_DELETION_GRACE_PERIOD_MS,
  reauthenticationWindowMs: DEFAULT_REAUTHENTICATION_WINDOW_MS,
};

/**
 * Starts the durable erasure of one account, or tells it its request changed. Implemented on
 * Temporal by @animateimg/workflows (one workflow per user, id derived from the user id).
 */
export interface AccountErasureScheduler {
  /** Idempotent: starts the user's workflow, or tells the running one to re-read its request. */
  schedule(input: { userId: string }): Promise<void>;
  /** Tells a running workflow to re-read its request (it ends when the request is gone). */
  notifyChanged(input: { userId: string }): Promise<void>;
}
