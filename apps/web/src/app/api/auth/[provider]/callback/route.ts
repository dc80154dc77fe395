import { handleOAuthCallback } from "@animateimg/api";
import { getDependencies } from "~/server/deps";
import { logged } from "~/server/logging";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = logged(
  "/api/auth/[provider]/callback",
  async (request: Request, context: { params: Promise<{ provider: string }> }) => {
    const { provider } = await context.params;
    return handleOAuthCallback(request, provider, getDependencies());
  },
);
