import "server-only";
import { createProviderWebhookHttpHandler } from "@animateimg/api";
import { getDependencies } from "~/server/deps";
import { getProviderRegistry } from "~/server/provider-registry";
import { logged } from "~/server/logging";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const handle = createProviderWebhookHttpHandler({
  getDb: () => getDependencies().db,
  getOrchestrator: () => getDependencies().orchestrator,
  getRegistry: getProviderRegistry,
});

/**
 * POST /api/webhooks/{provider}: a registered provider's callback about a job (the id in its
 * registration, @animateimg/providers).
 * Verified by the provider's own signature scheme (401 when it does not match), deduplicated,
 * then the generation's workflow is signalled to re-read the job.
 */
export const POST = logged(
  "/api/webhooks/[provider]",
  async (request: Request, context: { params: Promise<{ provider: string }> }): Promise<Response> => {
    const { provider } = await context.params;
    return handle(request, provider);
  },
);
