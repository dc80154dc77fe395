import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "pino";

/**
 * What one HTTP request's log line needs that only code deep inside the request learns: who
 * the user is (the session or API key resolver finds out) and a finer route name (the REST
 * router knows `/generations/{id}`). The request logger opens it; resolvers write to it.
 */
export interface RequestContext {
  readonly requestId: string;
  userId?: string;
  route?: string;
  /** The request's logger (its lines carry the request id), for errors found deep inside. */
  readonly log?: Logger;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The current request's context, when the code runs inside one. */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Records the signed-in user (or an API key's owner) for the request's log line (hashed there). */
export function noteRequestUser(userId: string): void {
  const context = storage.getStore();
  if (context) context.userId = userId;
}

/** Names the route more precisely than the mount point did (a template, never raw input). */
export function noteRequestRoute(route: string): void {
  const context = storage.getStore();
  if (context) context.route = route;
}
