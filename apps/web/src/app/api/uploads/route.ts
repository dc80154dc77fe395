import { createUploadHttpHandler } from "@animateimg/api";
import { env } from "~/env";
import { getDependencies } from "~/server/deps";
import { logged } from "~/server/logging";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const handler = logged(
  "/api/uploads",
  createUploadHttpHandler({ getDependencies, allowedOrigins: [new URL(env.APP_URL).origin] }),
);

/** One file per request, streamed to disk with a byte cap, then checked by content. */
export function POST(req: Request): Promise<Response> {
  return handler(req);
}
