import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { TRPCError } from "@trpc/server";
import { isAllowedOrigin } from "@animateimg/auth";
import { isAppError } from "@animateimg/core";
import { currentRequestContext, noteRequestRoute, noteRequestUser, type Logger } from "@animateimg/logging";
import { appRouter } from "../root";
import { createTRPCContext, type ApiDependencies } from "../trpc";
import { withRequestLog } from "./request-log";

export interface TrpcFetchHandlerOptions {
  endpoint: string;
  getDependencies: () => ApiDependencies;
  /** Origins whose pages may call mutations (the app's public URL); same-host is also allowed. */
  allowedOrigins: readonly string[];
  /**
   * One line per request (request id, procedures, status, time, hashed user) and every internal
   * error (withRequestLog). Without it the handler still notes procedures and user in a request
   * context an outer withRequestLog opened.
   */
  logging?: { log: Logger; hashUserId: (userId: string) => string };
  onInternalError?: (path: string | undefined, error: unknown) => void;
}

/**
 * The tRPC endpoint as a plain fetch handler (Request → Response), with the cross-site
 * check in front: tRPC v11 accepts form-data and octet-stream bodies that a foreign page can
 * send without a preflight, so a state-changing request without our Origin gets a 403
 * before any procedure runs, in tRPC's error shape (one per call of a batch) so the official
 * client shows the sentence. Queries may come as POST (the client's `methodOverride`): a long
 * input in the URL would otherwise hit the server's 16 KB header limit (HTTP 431).
 * Apps mount it (apps/web's route handler).
 */
const FOREIGN_ORIGIN_MESSAGE =
  "This request came from another site and was refused. Open the app at its own address and try again.";

export function createTrpcFetchHandler(options: TrpcFetchHandlerOptions) {
  const handle = async (req: Request): Promise<Response> => {
    // Procedure names only (`generation.create,generation.list`): inputs stay out of logs.
    noteRequestRoute(`${options.endpoint}/${new URL(req.url).pathname.slice(options.endpoint.length + 1)}`);
    const allowed = isAllowedOrigin(req, { allowedOrigins: options.allowedOrigins });
    return fetchRequestHandler({
      endpoint: options.endpoint,
      router: appRouter,
      req,
      allowMethodOverride: true,
      createContext: async ({ resHeaders }) => {
        if (!allowed) throw new TRPCError({ code: "FORBIDDEN", message: FOREIGN_ORIGIN_MESSAGE });
        const context = await createTRPCContext({
          deps: options.getDependencies(),
          headers: req.headers,
          responseHeaders: resHeaders,
        });
        if (context.session) noteRequestUser(context.session.user.id);
        return context;
      },
      onError: ({ path, error }) => {
        if (error.code !== "INTERNAL_SERVER_ERROR") return;
        currentRequestContext()?.log?.error({ err: error.cause ?? error, procedure: path }, "procedure failed");
        options.onInternalError?.(path, error);
      },
      // Rate-limited answers say when to come back, in the body and as HTTP's Retry-After.
      responseMeta: ({ errors }) => {
        const waits = errors.map((error) => (isAppError(error.cause) ? error.cause.retryAfterSeconds : undefined));
        const retryAfter = Math.max(0, ...waits.filter((w): w is number => w !== undefined));
        return retryAfter > 0 ? { headers: { "Retry-After": String(retryAfter) } } : {};
      },
    });
  };
  return options.logging ? withRequestLog(options.endpoint, handle, options.logging) : handle;
}
