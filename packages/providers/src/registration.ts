// The shape of one upstream provider's registration record. Each provider's folder holds its
// adapter and one `registration.ts` made with `defineProvider`; `provider-registrations.ts` lists
// them once, and the registry, the environment schema, the worker's limits, the default route
// costs and the admin health page derive from that list.
import type { z } from "zod";
import type { ModelId, ProviderId } from "@animateimg/catalog";
import type { ProviderAdapter } from "./adapter";
import type { FetchLike } from "./provider-http";

export type RemoteProviderId = Exclude<ProviderId, "local">;

/** HTTP settings every adapter takes; a provider's own section overrides them. */
export interface SharedAdapterSettings {
  fetch?: FetchLike;
  timeoutMs?: number;
  /** Shared default for status reads (see HttpClientOptions.readTimeoutMs). */
  readTimeoutMs?: number;
}

/**
 * What the worker enforces per provider, so a burst waits in the provider's queue instead of
 * failing with 429s.
 */
export interface ProviderLimits {
  /** Activity starts per second on the provider's task queue (Temporal's server applies it across every worker process). */
  perSecond: number;
  /** Jobs in flight in one worker process (an attempt holds one slot from submit until its job ends). */
  concurrentJobs: number;
  /** Where the numbers come from (the provider's documentation, or why they are a guess). */
  source: string;
}

export interface ProviderRegistration<Id extends RemoteProviderId, Section extends object, Env extends z.ZodObject> {
  id: Id;
  /** How the route is named to people; must equal the catalog's `providerNames` entry (a test checks). */
  label: string;
  /** How the admin pages name it. */
  operatorLabel: string;
  /** The provider's environment variables (zod); `providerConfigEnv` joins every provider's. Empty values count as unset. */
  env: Env;
  /** The registry's section for this provider from its parsed variables. */
  fromEnv(values: Partial<z.output<Env>>): Section;
  /** The adapter factory: an adapter, or undefined when the section lacks credentials (the provider stays disabled). */
  createAdapter(section: Section, shared: SharedAdapterSettings): ProviderAdapter | undefined;
  /**
   * How the provider's callbacks are verified. The adapter's `parseWebhook` is the verifier;
   * unsigned callbacks (and Kie's, whose body is not signed) only make the workflow poll again.
   */
  webhook: { signed: boolean; scheme: string };
  /** Documented limits, enforced per task queue by the worker. */
  limits: ProviderLimits;
  /**
   * ASSUMPTION: what one generation of each model it serves costs us here, relative to the model's
   * direct API (= 1.0), from public list prices. Only the order matters (cheaper routes may go first
   * where the catalog allows); `relativeCosts` in the registry config overrides it. A model left out
   * costs 1.
   */
  relativeCosts: Partial<Record<ModelId, number>>;
}

export function defineProvider<const Id extends RemoteProviderId, Section extends object, Env extends z.ZodObject>(
  registration: ProviderRegistration<Id, Section, Env>,
): ProviderRegistration<Id, Section, Env> {
  return registration;
}

/** A set value: not missing and not blank. */
export const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== "";

/** Makes some keys optional: a section may leave out what the adapter needs, which leaves it disabled. */
export type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;
