import {
  defaultAccountDeletionSettings,
  type AccountDeletionSettings,
  type AccountErasureScheduler,
} from "@animateimg/account-deletion";
import type { TRPCContext } from "../trpc";

export interface AccountDeletionDependencies {
  /** Grace period (ACCOUNT_DELETION_GRACE_DAYS) and re-authentication window. */
  settings?: AccountDeletionSettings;
  /** Tests replace the Temporal scheduler; by default the orchestrator's is used. */
  scheduler?: AccountErasureScheduler;
}

/** The configured settings, and a scheduler that connects to Temporal only when it is used. */
export function resolveAccountDeletion(ctx: Pick<TRPCContext, "accountDeletion" | "orchestrator">): {
  settings: AccountDeletionSettings;
  scheduler: AccountErasureScheduler;
} {
  return {
    settings: ctx.accountDeletion?.settings ?? defaultAccountDeletionSettings,
    scheduler: ctx.accountDeletion?.scheduler ?? ctx.orchestrator.accountErasure,
  };
}
