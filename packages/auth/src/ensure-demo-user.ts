import type { Db } from "@animateimg/db";
import { hashPassword, verifyPassword } from "./password";

export interface DemoUserOptions {
  email: string;
  password: string;
  name: string;
  /** Defaults to "user"; the admin seeded from ADMIN_EMAIL passes "admin". */
  role?: "user" | "admin";
}

/**
 * Creates the demo account if missing, or resets its password to the configured one, so
 * the credentials the dev command prints always work. It starts verified: it is for trying
 * the app, not for proving an inbox.
 */
export async function ensureDemoUser(db: Db, options: DemoUserOptions): Promise<{ id: string; created: boolean }> {
  const existing = await db
    .selectFrom("users")
    .select(["id", "password_hash", "role"])
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
    if (options.role && existing.role !== options.role) {
      await db.updateTable("users").set({ role: options.role }).where("id", "=", existing.id).execute();
    }
    return { id: existing.id, created: false };
  }
  const now = new Date();
  const inserted = await db
    .insertInto("users")
    .values({
      email: options.email,
      name: options.name,
      password_hash: await hashPassword(options.password),
      email_verified_at: now,
      age_confirmed_at: now,
      ...(options.role ? { role: options.role } : {}),
    })
    .onConflict((oc) => oc.column("email").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  // Lost a race with another seeder: the row exists now.
  return ensureDemoUser(db, options);
}

/** The administrator configured by ADMIN_EMAIL / ADMIN_PASSWORD, created or promoted. */
export function ensureAdminUser(
  db: Db,
  options: Omit<DemoUserOptions, "role">,
): Promise<{ id: string; created: boolean }> {
  return ensureDemoUser(db, { ...options, role: "admin" });
}
