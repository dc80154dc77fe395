import { resolveSessionFromHeaders } from "@animateimg/auth";
import type { Db } from "@animateimg/db";
import type { AuthSession } from "../trpc";

/** `ApiDependencies.resolveSession` backed by the sessions table. */
export function createSessionResolver(db: Db, options: { now?: () => Date } = {}) {
  return async (headers: Headers): Promise<AuthSession | null> => {
    const session = await resolveSessionFromHeaders(db, headers, { now: options.now?.() });
    return session ? { id: session.id, user: session.user } : null;
  };
}
