import { handleOAuthStart } from "@animateimg/api";
import { getDependencies } from "~/server/deps";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ provider: string }> }) {
  const { provider } = await context.params;
  return handleOAuthStart(request, provider, getDependencies());
}
