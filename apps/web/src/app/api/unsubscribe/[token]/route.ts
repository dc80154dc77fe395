import "server-only";
import { handleUnsubscribe, resolvePrivacyDependencies } from "@animateimg/api";
import { getDependencies } from "~/server/deps";
import { logged } from "~/server/logging";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Params = { params: Promise<{ token: string }> };

const handle = logged("/api/unsubscribe/[token]", async (request: Request, { params }: Params): Promise<Response> => {
  const { token } = await params;
  const deps = getDependencies();
  return handleUnsubscribe(request, token, { db: deps.db, privacy: resolvePrivacyDependencies(deps) });
});

/** The link in List-Unsubscribe: GET leads to the confirmation page, POST is RFC 8058's one-click. */
export const GET = handle;
export const POST = handle;
