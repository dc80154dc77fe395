import type { Db } from "@animateimg/db";
import { hashPassword, verifyPassword } from "./password";

export interface DemoUserOptions {
  email: string;
  password: string;
  name: string;
}

/**
 * Creates the demo account if missing, or resets its password to the configured one, so
 * the credentials the dev command prints always work. It starts verified: it is for trying
 * the app, not for proving an inbox.
 */
export async function ensureDemoUser(db: Db, options: DemoUserOptions): Promise<{ id: string; created: boolean }> {
  const existing = await db
    .selectFrom("users")
    .select(["id", "password_hash"])
    .where("email", "=", options.email)
    .executeTakeFirst();
  if (existing) {
    if (!existing.password_hash || !(await verifyPassword(existing.password_hash, options.password))) {
      await db
        .updateTable("users")
        .set({ password_hash: await hashPassword(options.password), updated_at: new Date() })
        .where("id", "=", existing.id)
        .execute();
    }
    return { id: existing.id, created: false };
  }
  const inserted = await db
    .insertInto("users")
    .values({
      email: options.email,
      name: options.name,
      password_hash: await hashPassword(options.password),
      email_verified_at: new Date(),
    })
    .onConflict((oc) => oc.column("email").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  // Lost a race with another seeder: the row exists now.
  return ensureDemoUser(db, options);
}
