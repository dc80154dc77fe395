import { defaultAccountDeletionSettings, type AccountDeletionSettings, type AccountErasureScheduler } from "@animateimg/account-deletion";
import { createTemporalAccountErasureScheduler } from "@animateimg/workflows/client";
import type { TRPCContext } from "../trpc";

export interface AccountDeletionDependencies {
  /** Grace period (ACCOUNT_DELETION_GRACE_DAYS) and re-authentication window. */
  settings?: AccountDeletionSettings;
  /** Tests replace the Temporal scheduler; by default the request's Temporal client is used. */
  scheduler?: AccountErasureScheduler;
}

/** The configured settings, and a scheduler that connects to Temporal only when it is used. */
export function resolveAccountDeletion(ctx: Pick<TRPCContext, "accountDeletion" | "getTemporalClient" | "taskQueue">): {
  settings: AccountDeletionSettings;
  scheduler: AccountErasureScheduler;
} {
  const temporal = async () => createTemporalAccountErasureScheduler({ client: await ctx.getTemporalClient(), taskQueue: ctx.taskQueue });
  return {
    settings: ctx.accountDeletion?.settings ?? defaultAccountDeletionSettings,
    scheduler: ctx.accountDeletion?.scheduler ?? {
      schedule: async (input) => (await temporal()).schedule(input),
      notifyChanged: async (input) => (await temporal()).notifyChanged(input),
    },
  };
}
