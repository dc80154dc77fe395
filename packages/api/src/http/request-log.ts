import {
  acceptRequestId,
  currentRequestContext,
  REQUEST_ID_HEADER,
  runWithRequestContext,
  type Logger,
  type RequestContext,
} from "@animateimg/logging";

export interface RequestLogOptions {
  log: Logger;
  /** Keyed hash of a user id (never the id, the email or a token reaches the line). */
  hashUserId: (userId: string) => string;
}

type Handler<A extends unknown[]> = (req: Request, ...args: A) => Promise<Response>;

/**
 * Wraps an HTTP handler so each request gets an id (a proxy's X-Request-Id when plain, else a
 * fresh one), echoed as `x-request-id`, and one log line when it is answered: request id,
 * method, route, status, duration, user hash. `route` is the mount's template
 * (`/api/blobs/[token]`), never the raw path, which can carry tokens; handlers may name it
 * finer (noteRequestRoute) and say who the user is (noteRequestUser), through the request
 * context that also gives deep code this request's logger. Inputs, headers and cookies are
 * not logged. For a streamed answer the duration is the time to its headers.
 */
export function withRequestLog<A extends unknown[]>(
  route: string,
  handler: Handler<A>,
  options: RequestLogOptions,
): Handler<A> {
  return async (req, ...args) => {
    // Already inside a logged request (a wrapped handler mounted by another): one line is enough.
    if (currentRequestContext()) return handler(req, ...args);
    const startedAt = performance.now();
    const requestId = acceptRequestId(req.headers.get(REQUEST_ID_HEADER));
    const context: RequestContext = { requestId, log: options.log.child({ requestId }) };
    let status = 500;
    try {
      const response = await runWithRequestContext(context, () => handler(req, ...args));
      status = response.status;
      return withHeader(response, REQUEST_ID_HEADER, requestId);
    } catch (error) {
      context.log?.error({ err: error, route: context.route ?? route }, "request failed");
      throw error;
    } finally {
      const line = {
        method: req.method,
        route: context.route ?? route,
        status,
        durationMs: Math.round(performance.now() - startedAt),
        ...(context.userId ? { userHash: options.hashUserId(context.userId) } : {}),
      };
      if (status >= 500) context.log?.error(line, "request");
      else context.log?.info(line, "request");
    }
  };
}

/** Responses made by Response.redirect() or fetch() have immutable headers: copy those. */
function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const headers = new Headers(response.headers);
    headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}
