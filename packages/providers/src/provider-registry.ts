// Which providers this deployment can use, and in what order a generation should try them.
// A provider is enabled only when its credentials are configured; the catalog gives the default
// order; parameters a route cannot honour, and open circuits, remove routes; and where the
// catalog allows it, cheaper healthy routes go first.
import { getModel, type ModelId, type ProviderId } from "@animateimg/catalog";
import type { ProviderAdapter, RouteMedia } from "./adapter";
import { createBytedanceAdapter, type BytedanceAdapterOptions } from "./bytedance-adapter";
import type { CircuitState } from "./circuit-breaker";
import { createFalAdapter, type FalAdapterOptions } from "./fal-adapter";
import { createGoogleAdapter, type GoogleAdapterOptions } from "./google-adapter";
import { createKieAdapter, type KieAdapterOptions } from "./kie-adapter";
import { createKlingAdapter, type KlingAdapterOptions } from "./kling-adapter";
import type { FetchLike } from "./provider-http";
import { createReplicateAdapter, type ReplicateAdapterOptions } from "./replicate-adapter";

export type RemoteProviderId = Exclude<ProviderId, "local">;

type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

/** Per provider; a section whose credentials are missing (or empty) leaves that provider disabled. */
export interface ProviderRegistryConfig {
  kling?: Optional<KlingAdapterOptions, "baseUrl">;
  google?: Optional<GoogleAdapterOptions, "apiKey">;
  bytedance?: Optional<BytedanceAdapterOptions, "apiKey">;
  kie?: Optional<KieAdapterOptions, "apiKey">;
  fal?: Optional<FalAdapterOptions, "apiKey">;
  replicate?: Optional<ReplicateAdapterOptions, "apiToken">;
  /** Shared defaults for every adapter (a section's own value wins). */
  fetch?: FetchLike;
  timeoutMs?: number;
  /** Shared default for status reads (see HttpClientOptions.readTimeoutMs). */
  readTimeoutMs?: number;
  /** Overrides of the relative costs below, per provider and model. */
  relativeCosts?: Partial<Record<RemoteProviderId, Partial<Record<ModelId, number>>>>;
}

/**
 * ASSUMPTION: what one generation costs us at each provider, relative to the model's direct
 * API (= 1.0), from public list prices in late 2026. Only the order matters; override with
 * `relativeCosts` when contracts differ. Aggregators buy in bulk: Kie is usually cheapest, fal
 * and Replicate resell at or slightly above list price.
 */
export const DEFAULT_RELATIVE_COSTS: Record<RemoteProviderId, Partial<Record<ModelId, number>>> = {
  kling: { "kling-3": 1, "motion-control": 1 },
  google: { "veo-3.1": 1 },
  bytedance: { "seedance-2": 1 },
  kie: { "kling-3": 0.7, "veo-3.1": 0.5, "seedance-2": 0.8, "motion-control": 0.7 },
  fal: { "kling-3": 1.05, "veo-3.1": 1, "seedance-2": 1.1, "motion-control": 1.05 },
  replicate: { "kling-3": 1.1, "veo-3.1": 1.05, "seedance-2": 1.15 },
};

export type ProviderHealth = Partial<Record<ProviderId, CircuitState | { state: CircuitState }>>;

export type Route =
  | { provider: "local"; relativeCost: number }
  | { provider: RemoteProviderId; adapter: ProviderAdapter; relativeCost: number };

export interface ProviderRegistry {
  /** Enabled remote providers (local is always available). */
  readonly enabled: readonly RemoteProviderId[];
  get(provider: RemoteProviderId): ProviderAdapter | undefined;
  isEnabled(provider: ProviderId): boolean;
  relativeCost(provider: ProviderId, modelId: ModelId): number;
  /**
   * Usable routes for this generation, best first. `media.hasEndFrame` matters to some routes;
   * `health` comes from `circuitStatus` per provider (open ones are skipped, half-open ones keep
   * their place so a probe can reach them).
   */
  routesFor(modelId: ModelId, params: Record<string, unknown>, media: RouteMedia, health?: ProviderHealth): Route[];
}

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== "";

export function createProviderRegistry(config: ProviderRegistryConfig): ProviderRegistry {
  const shared = { fetch: config.fetch, timeoutMs: config.timeoutMs, readTimeoutMs: config.readTimeoutMs };
  const adapters = new Map<RemoteProviderId, ProviderAdapter>();

  const kling = config.kling;
  if (kling && (kling.auth || (present(kling.accessKey) && present(kling.secretKey))))
    adapters.set("kling", createKlingAdapter({ ...shared, ...kling, baseUrl: kling.baseUrl ?? "https://api-singapore.klingai.com" }));
  if (config.google && present(config.google.apiKey)) adapters.set("google", createGoogleAdapter({ ...shared, ...config.google, apiKey: config.google.apiKey }));
  if (config.bytedance && present(config.bytedance.apiKey))
    adapters.set("bytedance", createBytedanceAdapter({ ...shared, ...config.bytedance, apiKey: config.bytedance.apiKey }));
  if (config.kie && present(config.kie.apiKey)) adapters.set("kie", createKieAdapter({ ...shared, ...config.kie, apiKey: config.kie.apiKey }));
  if (config.fal && present(config.fal.apiKey)) adapters.set("fal", createFalAdapter({ ...shared, ...config.fal, apiKey: config.fal.apiKey }));
  if (config.replicate && present(config.replicate.apiToken))
    adapters.set("replicate", createReplicateAdapter({ ...shared, ...config.replicate, apiToken: config.replicate.apiToken }));

  const relativeCost = (provider: ProviderId, modelId: ModelId): number => {
    if (provider === "local") return 0;
    return config.relativeCosts?.[provider]?.[modelId] ?? DEFAULT_RELATIVE_COSTS[provider][modelId] ?? 1;
  };

  const stateOf = (health: ProviderHealth | undefined, provider: ProviderId): CircuitState => {
    const entry = health?.[provider];
    return entry === undefined ? "closed" : typeof entry === "string" ? entry : entry.state;
  };

  return {
    enabled: [...adapters.keys()],
    get: (provider) => adapters.get(provider),
    isEnabled: (provider) => provider === "local" || adapters.has(provider),
    relativeCost,
    routesFor(modelId, params, media, health) {
      const model = getModel(modelId);
      const routes: Route[] = [];
      for (const provider of model.routes) {
        if (provider === "local") {
          routes.push({ provider, relativeCost: 0 });
          continue;
        }
        const adapter = adapters.get(provider);
        if (!adapter) continue;
        if (adapter.unsupportedReason(modelId, params, media) !== null) continue;
        if (stateOf(health, provider) === "open") continue;
        routes.push({ provider, adapter, relativeCost: relativeCost(provider, modelId) });
      }
      if (!model.allowCheaperRouteFirst) return routes;
      // Stable sort: equal costs keep the catalog's order.
      return routes
        .map((route, index) => ({ route, index }))
        .sort((a, b) => a.route.relativeCost - b.route.relativeCost || a.index - b.index)
        .map(({ route }) => route);
    },
  };
}

/** Why each catalog route of a model is or is not usable now: for admin pages and logs. */
export function explainRoutes(
  registry: ProviderRegistry,
  modelId: ModelId,
  params: Record<string, unknown>,
  media: RouteMedia,
  health?: ProviderHealth,
): Array<{ provider: ProviderId; usable: boolean; reason: string | null }> {
  return getModel(modelId).routes.map((provider) => {
    if (provider === "local") return { provider, usable: true, reason: null };
    const adapter = registry.get(provider);
    if (!adapter) return { provider, usable: false, reason: "not configured" };
    const unsupported = adapter.unsupportedReason(modelId, params, media);
    if (unsupported) return { provider, usable: false, reason: unsupported };
    const entry = health?.[provider];
    const state = entry === undefined ? "closed" : typeof entry === "string" ? entry : entry.state;
    if (state === "open") return { provider, usable: false, reason: "circuit open after recent failures" };
    return { provider, usable: true, reason: null };
  });
}
