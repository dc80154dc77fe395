import { handleOAuthStart } from "@animateimg/api";
import { getDependencies } from "~/server/deps";
import { logged } from "~/server/logging";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = logged(
  "/api/auth/[provider]/start",
  async (request: Request, context: { params: Promise<{ provider: string }> }) => {
    const { provider } = await context.params;
    return handleOAuthStart(request, provider, getDependencies());
  },
);
