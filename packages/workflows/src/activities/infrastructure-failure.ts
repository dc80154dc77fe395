// Our own infrastructure failing (Postgres, blob storage) is never the user's or a provider's
// failure. Activities turn such errors into one failure type the workflow recognises: it waits
// and tries the same step again, for outages of minutes, without falling back to another route
// or counting the attempt against a provider's circuit breaker.
import { ApplicationFailure } from "@temporalio/common";
import type { BlobStore } from "@animateimg/storage";

/** The ApplicationFailure type of an infrastructure error. */
export const INFRASTRUCTURE_FAILURE = "infrastructure";

/** A storage call failed (the driver's own error, whatever it was). */
export class StorageUnavailableError extends Error {
  constructor(operation: string, cause: unknown) {
    super(`storage ${operation} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "StorageUnavailableError";
  }
}

// Postgres SQLSTATE classes and codes that say "the database is not reachable right now":
// 08 connection exceptions, 57P01–57P03 shutdown/cannot connect now, 53 insufficient resources.
const PG_UNAVAILABLE_CODES = /^(08|57P0[1-3]|53)/;
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "ENOTFOUND",
]);
const PG_CLIENT_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection refused|the database system is (starting up|shutting down)/i;

/** Whether an error (or one of its causes) says Postgres or our storage is unavailable. */
export function isInfrastructureError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof StorageUnavailableError) return true;
    if (typeof current !== "object") return false;
    const { code, message, errors } = current as { code?: unknown; message?: unknown; errors?: unknown };
    if (typeof code === "string" && (PG_UNAVAILABLE_CODES.test(code) || NETWORK_CODES.has(code))) return true;
    if (typeof message === "string" && PG_CLIENT_MESSAGES.test(message)) return true;
    // AggregateError (connect to several addresses): any member decides.
    if (Array.isArray(errors) && errors.some((e) => isInfrastructureError(e))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Rethrows an infrastructure error as the retryable failure type the workflow waits out. */
export function asInfrastructureFailure(error: unknown): unknown {
  if (error instanceof ApplicationFailure || !isInfrastructureError(error)) return error;
  return ApplicationFailure.create({
    type: INFRASTRUCTURE_FAILURE,
    message: error instanceof Error ? error.message : String(error),
    nonRetryable: false,
    ...(error instanceof Error ? { cause: error } : {}),
  });
}

/** Wraps every activity so infrastructure errors leave it as INFRASTRUCTURE_FAILURE. */
export function withInfrastructureFailures<T extends Record<string, (...args: never[]) => Promise<unknown>>>(
  activities: T,
): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      try {
        return await fn(...args);
      } catch (error) {
        throw asInfrastructureFailure(error);
      }
    };
  }
  return wrapped as T;
}

/** A blob store whose failures say they are ours (a missing blob stays `null` from get). */
export function storageFailuresMarked(store: BlobStore): BlobStore {
  const mark =
    <A extends unknown[], R>(operation: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (error) {
        throw new StorageUnavailableError(operation, error);
      }
    };
  return {
    ...store,
    put: mark("put", store.put.bind(store)),
    get: mark("get", store.get.bind(store)),
    delete: mark("delete", store.delete.bind(store)),
    exists: mark("exists", store.exists.bind(store)),
    list: mark("list", store.list.bind(store)),
  };
}
