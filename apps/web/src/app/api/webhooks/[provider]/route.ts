import "server-only";
import { createProviderWebhookHttpHandler } from "@animateimg/api";
import { createProviderRegistry, providerRegistryConfigFromEnv, type ProviderRegistry } from "@animateimg/providers";
import { getDependencies } from "~/server/deps";
import { providerEnv } from "../env";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// One registry per process: the fal adapter caches its JWKS keys between callbacks.
const globalForWebhooks = globalThis as unknown as { animateimgProviderRegistry?: ProviderRegistry };

const handle = createProviderWebhookHttpHandler({
  getDb: () => getDependencies().db,
  getTemporalClient: () => getDependencies().getTemporalClient(),
  getRegistry: () => (globalForWebhooks.animateimgProviderRegistry ??= createProviderRegistry(providerRegistryConfigFromEnv(providerEnv))),
});

/**
 * POST /api/webhooks/{kling|bytedance|kie|fal|replicate}: a provider's callback about a job.
 * Verified by the provider's own signature scheme (401 when it does not match), deduplicated,
 * then the generation's workflow is signalled to re-read the job.
 */
export async function POST(request: Request, context: { params: Promise<{ provider: string }> }): Promise<Response> {
  const { provider } = await context.params;
  return handle(request, provider);
}
