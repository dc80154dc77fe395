import { createTrpcFetchHandler } from "@animateimg/api";
import { env } from "~/env";
import { getDependencies } from "~/server/deps";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// Mutations must come from our own pages: a missing or foreign Origin is refused with 403
// before tRPC runs (it accepts form-data and octet-stream, which need no CORS preflight).
const handler = createTrpcFetchHandler({
  endpoint: "/api/trpc",
  getDependencies,
  allowedOrigins: [new URL(env.APP_URL).origin],
  onInternalError: (path, error) => console.error(`tRPC ${path ?? "?"} failed:`, error),
});

export { handler as GET, handler as POST };
