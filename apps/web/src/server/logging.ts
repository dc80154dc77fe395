import "server-only";
import { withRequestLog } from "@animateimg/api";
import { createLogger, createUserHasher, deriveUserHashKey, type Logger } from "@animateimg/logging";
import { env } from "~/env";

/** The web process's logger (LOG_LEVEL, LOG_FORMAT); one per process across hot reloads. */
const globalForLog = globalThis as unknown as { animateimgWebLog?: Logger };
export const log: Logger = (globalForLog.animateimgWebLog ??= createLogger({
  service: "web",
  level: env.LOG_LEVEL,
  format: env.LOG_FORMAT,
}));

/** Users appear in log lines only as this keyed hash. */
export const hashUserId = createUserHasher(env.LOG_USER_HASH_KEY ?? deriveUserHashKey(env.BLOB_URL_SECRET));

/**
 * An API route handler with its request logged (request id, route, status, duration, user
 * hash) and `x-request-id` on the answer. `route` is the route's folder template, never the
 * raw path (blob and unsubscribe paths carry tokens).
 */
export function logged<A extends unknown[]>(route: string, handler: (req: Request, ...args: A) => Promise<Response>) {
  return withRequestLog(route, handler, { log, hashUserId });
}
