import { resolveSessionFromHeaders } from "@animateimg/auth";
import type { Db } from "@animateimg/db";
import { noteRequestUser } from "@animateimg/logging";
import type { AuthSession } from "../trpc";

/** `ApiDependencies.resolveSession` backed by the sessions table. */
export function createSessionResolver(db: Db, options: { now?: () => Date } = {}) {
  return async (headers: Headers): Promise<AuthSession | null> => {
    const session = await resolveSessionFromHeaders(db, headers, { now: options.now?.() });
    // The request's log line names the user by a keyed hash (withRequestLog).
    if (session) noteRequestUser(session.user.id);
    return session ? { id: session.id, user: session.user } : null;
  };
}
