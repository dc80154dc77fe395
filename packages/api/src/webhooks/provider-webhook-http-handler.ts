// POST /api/webhooks/{provider}: a provider's callback about one of our jobs. The raw body is
// read once and handed to the adapter (signatures cover exact bytes); duplicates are dropped;
// the generation's workflow is signalled to re-read the job. Nothing here trusts the body
// beyond the job id: the workflow decides from its own poll (or a verified status).
import type { Db } from "@animateimg/db";
import {
  findGenerationIdForProviderJob,
  forgetProviderWebhookDelivery,
  recordProviderWebhookDelivery,
  recordUnclaimedProviderJob,
} from "@animateimg/generations";
import { handleProviderWebhook, type ProviderRegistry, type RemoteProviderId } from "@animateimg/providers";
import type { Orchestrator } from "@animateimg/workflows/orchestrator";

export interface ProviderWebhookHttpHandlerOptions {
  getDb: () => Db;
  getOrchestrator: () => { generations: Pick<Orchestrator["generations"], "signalProviderUpdate"> };
  getRegistry: () => ProviderRegistry;
  /** Callbacks larger than this are refused unread beyond the cap (provider bodies are small). */
  maxBodyBytes?: number;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

export function createProviderWebhookHttpHandler(options: ProviderWebhookHttpHandlerOptions) {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  return async (req: Request, provider: string): Promise<Response> => {
    if (req.method !== "POST") return json(405, { error: "webhooks are POSTed" });
    const adapter = options.getRegistry().get(provider as RemoteProviderId);
    // Unknown and disabled providers look the same from outside.
    if (!adapter) return json(404, { error: "no such webhook" });
    const declared = Number(req.headers.get("content-length") ?? "NaN");
    if (Number.isFinite(declared) && declared > maxBodyBytes) return json(413, { error: "body too large" });
    const rawBody = await req.text();
    if (Buffer.byteLength(rawBody) > maxBodyBytes) return json(413, { error: "body too large" });

    const db = options.getDb();
    const result = await handleProviderWebhook(
      {
        adapter,
        findGenerationId: (p, providerJobId) => findGenerationIdForProviderJob(db, { provider: p, providerJobId }),
        recordDelivery: (event) => recordProviderWebhookDelivery(db, event),
        forgetDelivery: (event) => forgetProviderWebhookDelivery(db, event),
        recordUnclaimedJob: (event) => recordUnclaimedProviderJob(db, event),
        // A generation that already ended (a late or repeated callback) is left alone by the orchestrator.
        signalProviderUpdate: (generationId, update) =>
          options.getOrchestrator().generations.signalProviderUpdate(generationId, update),
      },
      { headers: req.headers, rawBody },
    );
    if (result.status === 200) return json(200, { ok: true, duplicate: result.outcome === "duplicate" });
    return json(result.status, { error: result.outcome });
  };
}
