// Every upstream provider, once. Adding one: a folder with its adapter and `registration.ts`, its
// id and names in @animateimg/catalog's `providerNames`, and one line here (README, "Adding a
// provider"). The order is the order of `registry.enabled`.
import type { z } from "zod";
import type { ModelId } from "@animateimg/catalog";
import { bytedanceProvider } from "./bytedance/registration";
import { falProvider } from "./fal/registration";
import { googleProvider } from "./google/registration";
import { kieProvider } from "./kie/registration";
import { klingProvider } from "./kling/registration";
import type { ProviderLimits, ProviderRegistration, RemoteProviderId } from "./registration";
import { replicateProvider } from "./replicate/registration";

export const providerRegistrations = [
  klingProvider,
  googleProvider,
  bytedanceProvider,
  kieProvider,
  falProvider,
  replicateProvider,
] as const;

type Registered = (typeof providerRegistrations)[number];

// Fails to compile when the catalog names a provider that has no registration, or the reverse.
const _everyCatalogProviderRegistered: RemoteProviderId = {} as Registered["id"];
const _everyRegistrationInCatalog: Registered["id"] = {} as RemoteProviderId;

/** The registry's per-provider section, as each registration's adapter factory takes it. */
export type ProviderSections = {
  [R in Registered as R["id"]]?: R extends ProviderRegistration<RemoteProviderId, infer Section, z.ZodObject>
    ? Section
    : never;
};

/** Per provider, what its registration documents: the worker enforces these on its task queue. */
export const providerLimits: Record<RemoteProviderId, ProviderLimits> = Object.fromEntries(
  providerRegistrations.map((r) => [r.id, r.limits]),
) as Record<RemoteProviderId, ProviderLimits>;

/** Per provider and model, the registrations' relative costs (see ProviderRegistration.relativeCosts). */
export const DEFAULT_RELATIVE_COSTS: Record<RemoteProviderId, Partial<Record<ModelId, number>>> = Object.fromEntries(
  providerRegistrations.map((r) => [r.id, r.relativeCosts]),
) as Record<RemoteProviderId, Partial<Record<ModelId, number>>>;
