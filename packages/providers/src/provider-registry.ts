// Which providers this deployment can use, and in what order a generation should try them.
// A provider is enabled only when its credentials are configured; the catalog gives the default
// order; parameters a route cannot honour, and open circuits, remove routes; and where the
// catalog allows it, cheaper healthy routes go first.
import { getModel, type ModelId, type ProviderId } from "@animateimg/catalog";
import type { ProviderAdapter, RouteMedia } from "./adapter";
import type { CircuitState } from "./circuit-breaker";
import { DEFAULT_RELATIVE_COSTS, providerRegistrations, type ProviderSections } from "./provider-registrations";
import type { RemoteProviderId, SharedAdapterSettings } from "./registration";

export type { RemoteProviderId } from "./registration";

/** Per provider (its registration's section); a section whose credentials are missing (or empty) leaves that provider disabled. */
export type ProviderRegistryConfig = ProviderSections &
  SharedAdapterSettings & {
    /** Overrides of the registrations' relative costs, per provider and model. */
    relativeCosts?: Partial<Record<RemoteProviderId, Partial<Record<ModelId, number>>>>;
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

export function createProviderRegistry(config: ProviderRegistryConfig): ProviderRegistry {
  const shared = { fetch: config.fetch, timeoutMs: config.timeoutMs, readTimeoutMs: config.readTimeoutMs };
  const adapters = new Map<RemoteProviderId, ProviderAdapter>();

  for (const registration of providerRegistrations) {
    const section = config[registration.id];
    if (!section) continue;
    const adapter = registration.createAdapter(section, shared);
    if (adapter) adapters.set(registration.id, adapter);
  }

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
