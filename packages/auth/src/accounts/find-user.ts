import type { Executor } from "@animateimg/db";

/** The id of the account with exactly this email address (as stored), if any: for admin tools. */
export async function findUserIdByEmail(db: Executor, email: string): Promise<string | undefined> {
  const user = await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst();
  return user?.id;
}
