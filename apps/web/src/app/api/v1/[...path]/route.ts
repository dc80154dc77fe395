import { createRestApiHandler } from "@animateimg/api";
import { env } from "~/env";
import { getDependencies } from "~/server/deps";
import { logged } from "~/server/logging";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The developer REST API (Bearer API keys; no cookies, so no Origin check). */
const handler = logged("/api/v1", createRestApiHandler({ getDependencies, publicUrl: env.APP_URL }));

export const GET = handler;
export const POST = handler;
export const DELETE = handler;
export const PUT = handler;
export const PATCH = handler;
export const HEAD = handler;
