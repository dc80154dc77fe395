import { createBlobHttpHandler } from "@animateimg/api";
import { getDependencies } from "~/server/deps";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const handler = createBlobHttpHandler({ getDependencies });

interface Context {
  params: Promise<{ token: string }>;
}

/** Serves a signed, short-lived blob URL (with Range, so videos seek). */
export async function GET(req: Request, { params }: Context): Promise<Response> {
  return handler(req, (await params).token);
}

export async function HEAD(req: Request, { params }: Context): Promise<Response> {
  return handler(req, (await params).token);
}
