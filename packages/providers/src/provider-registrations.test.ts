import { readFileSync } from "node:fs";
import { models, providerNames } from "@animateimg/catalog";
import { fakeProviderIds } from "@animateimg/provider-fakes";
import { describe, expect, it } from "vitest";
import { createProviderRegistry } from "./provider-registry";
import { providerRegistrations } from "./provider-registrations";
import { providerConfigEnv, providerRegistryConfigFromEnv } from "./registry-config-from-env";

const envExample = readFileSync(new URL("../../../.env.example", import.meta.url), "utf8");

describe("provider registrations", () => {
  it("agree with the catalog's light list of providers (ids, order, names), which the browser and workflows read", () => {
    const remote = providerNames.filter((p) => p.id !== "local");
    expect(providerRegistrations.map((r) => ({ id: r.id, label: r.label, operatorLabel: r.operatorLabel }))).toEqual(
      remote.map((p) => ({ ...p })),
    );
  });

  it("have a local fake each, and no fake lacks a registration", () => {
    expect([...fakeProviderIds].sort()).toEqual(providerRegistrations.map((r) => r.id).sort());
  });

  it("price only models that list the provider among their routes", () => {
    for (const registration of providerRegistrations) {
      for (const modelId of Object.keys(registration.relativeCosts)) {
        const model = models.find((m) => m.id === modelId);
        expect(model?.routes, `${registration.id} prices ${modelId}`).toContain(registration.id);
      }
    }
  });

  it("document every variable they read in .env.example", () => {
    const documented = new Set([...envExample.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const variables = Object.keys(providerConfigEnv.shape);
    expect(variables.filter((name) => !documented.has(name))).toEqual([]);
  });

  it("own their variables: no two providers read the same one", () => {
    const names = providerRegistrations.flatMap((r) => Object.keys(r.env.shape));
    expect(new Set(names).size).toBe(names.length);
  });

  it("turn the environment into enabled adapters, empty values counting as unset", () => {
    const env = providerConfigEnv.parse({
      KLING_ACCESS_KEY: "a",
      KLING_SECRET_KEY: "s",
      GOOGLE_GEMINI_API_KEY: "",
      FAL_KEY: "f",
      FAL_UPLOAD_MEDIA: "1",
      REPLICATE_API_TOKEN: "r",
      PROVIDER_REQUEST_TIMEOUT_MS: "5000",
    });
    const config = providerRegistryConfigFromEnv(env);
    expect(config.timeoutMs).toBe(5000);
    expect(config.fal).toMatchObject({ apiKey: "f", uploadMedia: true });
    expect(config.replicate).toMatchObject({ apiToken: "r", uploadMedia: false });
    expect(createProviderRegistry(config).enabled).toEqual(["kling", "fal", "replicate"]);
  });
});
