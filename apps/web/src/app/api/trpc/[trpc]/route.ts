import { createTrpcFetchHandler } from "@animateimg/api";
import { env } from "~/env";
import { getDependencies } from "~/server/deps";
import { logged } from "~/server/logging";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// Mutations must come from our own pages: a missing or foreign Origin is refused with 403
// before tRPC runs (it accepts form-data and octet-stream, which need no CORS preflight).
// Logged per request (request id, procedures, status, duration, user hash); internal errors
// are logged with the request id by the handler.
const handler = logged(
  "/api/trpc",
  createTrpcFetchHandler({
    endpoint: "/api/trpc",
    getDependencies,
    allowedOrigins: [new URL(env.APP_URL).origin],
  }),
);

export { handler as GET, handler as POST };
