// The upstream providers' environment: every registration's variables joined with the settings
// they share, and the registry's config from the parsed values. Apps parse `providerConfigEnv`
// (alone or extended) once; nothing here reads process.env.
import { optionalUrl } from "@animateimg/config";
import { z } from "zod";
import { providerRegistrations } from "./provider-registrations";
import type { ProviderRegistryConfig } from "./provider-registry";

const sharedProviderEnv = z.object({
  /** Public origin providers call back on (…/api/webhooks/{provider}); unset: polling only. */
  PROVIDER_WEBHOOK_BASE_URL: optionalUrl,
  PROVIDER_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(30_000),
});

type Registered = (typeof providerRegistrations)[number];
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type RegisteredShape = UnionToIntersection<Registered["env"]["shape"]>;

/**
 * Upstream video providers. Each is enabled only when its key is set; base URLs default to the
 * providers' public endpoints (point them at the local fakes for offline demos). Empty strings
 * count as unset, so a copied .env.example enables nothing.
 */
export const providerConfigEnv = providerRegistrations.reduce<z.ZodObject>(
  (schema, registration) => schema.extend(registration.env.shape),
  sharedProviderEnv,
) as z.ZodObject<typeof sharedProviderEnv.shape & RegisteredShape>;

export type ProviderEnvValues = Partial<z.output<typeof providerConfigEnv>>;

export function providerRegistryConfigFromEnv(env: ProviderEnvValues): ProviderRegistryConfig {
  const sections = Object.fromEntries(
    providerRegistrations.map((registration) => [registration.id, registration.fromEnv(env as never)]),
  );
  return { timeoutMs: env.PROVIDER_REQUEST_TIMEOUT_MS, ...sections };
}
