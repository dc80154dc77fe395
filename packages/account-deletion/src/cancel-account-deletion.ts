import { AppError } from "@animateimg/core";
import type { Db } from "@animateimg/db";
import type { AccountErasureScheduler } from "./deletion-settings";

/**
 * Cancels a scheduled deletion during its grace period. The row is the truth the workflow
 * checks before erasing anything, so removing it is the cancellation; the workflow is then
 * told so it ends now rather than at the end of the grace period.
 */
export async function cancelAccountDeletion(
  db: Db,
  deps: { scheduler: AccountErasureScheduler },
  options: { userId: string },
): Promise<{ canceled: true; workflowNotified: boolean }> {
  const removed = await db
    .deleteFrom("account_deletion_requests")
    .where("user_id", "=", options.userId)
    .where("status", "=", "scheduled")
    .returning("user_id")
    .executeTakeFirst();
  if (!removed) {
    const erasing = await db
      .selectFrom("account_deletion_requests")
      .select("status")
      .where("user_id", "=", options.userId)
      .executeTakeFirst();
    if (erasing) {
      throw new AppError("CONFLICT", "Your account is already being deleted; this can no longer be stopped.", {
        reason: "deletion_under_way",
      });
    }
    throw new AppError("NOT_FOUND", "No deletion is scheduled for your account.", { reason: "no_deletion_scheduled" });
  }
  let workflowNotified = true;
  try {
    await deps.scheduler.notifyChanged({ userId: options.userId });
  } catch {
    // Harmless: the workflow re-reads the (now absent) request before erasing and ends then.
    workflowNotified = false;
  }
  return { canceled: true, workflowNotified };
}
