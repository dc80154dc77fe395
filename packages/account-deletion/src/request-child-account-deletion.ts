import { AppError } from "@animateimg/core";
import type { Db } from "@animateimg/db";
import type { AccountErasureScheduler } from "./deletion-settings";

/**
 * An administrator acting on a report that an account belongs to a child under 13 (the policy
 * promises to delete it): no grace period, no sign-in from the account holder. A deletion the
 * person had already scheduled is brought forward to now.
 */
export async function requestChildAccountDeletion(
  db: Db,
  deps: { scheduler: AccountErasureScheduler },
  options: { adminUserId: string; email: string; now?: Date },
): Promise<{ userId: string; eraseAfter: Date }> {
  const now = options.now ?? new Date();
  const target = await db
    .selectFrom("users")
    .select(["id", "role"])
    .where((eb) => eb(eb.fn("lower", ["email"]), "=", options.email.trim().toLowerCase()))
    .executeTakeFirst();
  if (!target)
    throw new AppError("NOT_FOUND", "No account uses that email address.", { reason: "no_account_for_email" });
  if (target.id === options.adminUserId || target.role === "admin") {
    throw new AppError("FORBIDDEN", "An administrator account cannot be deleted this way.", {
      reason: "admin_account",
    });
  }
  await db
    .insertInto("account_deletion_requests")
    .values({
      user_id: target.id,
      reason: "child_report",
      requested_at: now,
      erase_after: now,
      requested_by: options.adminUserId,
    })
    .onConflict((oc) =>
      oc
        .column("user_id")
        .doUpdateSet({ reason: "child_report", erase_after: now, requested_by: options.adminUserId })
        .where("account_deletion_requests.status", "=", "scheduled"),
    )
    .execute();
  await deps.scheduler.schedule({ userId: target.id });
  // A running workflow waiting out a grace period must learn the new date.
  await deps.scheduler.notifyChanged({ userId: target.id });
  return { userId: target.id, eraseAfter: now };
}
