import { createBlobHttpHandler } from "@animateimg/api";
import { getDependencies } from "~/server/deps";
import { logged } from "~/server/logging";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const handler = createBlobHttpHandler({ getDependencies });

interface Context {
  params: Promise<{ token: string }>;
}

/** Serves a signed, short-lived blob URL (with Range, so videos seek). Logged without the token. */
const handle = logged("/api/blobs/[token]", async (req: Request, { params }: Context): Promise<Response> =>
  handler(req, (await params).token),
);

export const GET = handle;
export const HEAD = handle;
