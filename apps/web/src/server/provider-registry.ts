import "server-only";
import { createProviderRegistry, providerRegistryConfigFromEnv, type ProviderRegistry } from "@animateimg/providers";
import { providerEnv } from "~/app/api/webhooks/env";

// One registry per process, shared by the webhook route (the fal adapter caches its JWKS keys
// between callbacks) and the API (which models can run here).
const globalForProviders = globalThis as unknown as { animateimgProviderRegistry?: ProviderRegistry };

export function getProviderRegistry(): ProviderRegistry {
  globalForProviders.animateimgProviderRegistry ??= createProviderRegistry(providerRegistryConfigFromEnv(providerEnv));
  return globalForProviders.animateimgProviderRegistry;
}
