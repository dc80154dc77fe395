import type { Executor } from "@animateimg/db";
import { grantCredits } from "./ledger";

/**
 * The welcome credits every new account gets, once (keyed on the user id), so a new user can
 * try a paid model before buying. The amount comes from configuration (SIGNUP_CREDITS).
 */
export async function grantSignupCredits(db: Executor, options: { userId: string; amount: number }): Promise<void> {
  if (options.amount <= 0) return;
  await grantCredits(db, {
    userId: options.userId,
    amount: options.amount,
    kind: "grant",
    reason: "Welcome credits",
    idempotencyKey: `signup:${options.userId}`,
  });
}
