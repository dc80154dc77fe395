import { describe, expect, it } from "vitest";
import { circuitStatusByProvider } from "./circuit-breaker";
import { createProviderRegistry, explainRoutes, type ProviderRegistryConfig } from "./provider-registry";

const all: ProviderRegistryConfig = {
  kling: { accessKey: "a", secretKey: "s" },
  google: { apiKey: "g" },
  bytedance: { apiKey: "b" },
  kie: { apiKey: "k" },
  fal: { apiKey: "f" },
  replicate: { apiToken: "r" },
};
const noEnd = { hasEndFrame: false };
const veoDefaults = { durationSeconds: 8, aspectRatio: "16:9", resolution: "720p", generateAudio: true };
const providersOf = (routes: Array<{ provider: string }>) => routes.map((r) => r.provider);
// Equal costs: the catalog's default order is what remains.
const flatCosts = Object.fromEntries(
  ["kling", "google", "bytedance", "kie", "fal", "replicate"].map((p) => [
    p,
    { "kling-3": 1, "veo-3.1": 1, "seedance-2": 1, "motion-control": 1 },
  ]),
);

describe("provider registry", () => {
  it("enables a provider only when its credentials are set", () => {
    const registry = createProviderRegistry({
      kling: { accessKey: "a" },
      google: { apiKey: "" },
      fal: { apiKey: "f" },
      replicate: {},
    });
    expect(registry.enabled).toEqual(["fal"]);
    expect(registry.isEnabled("local")).toBe(true);
    expect(registry.isEnabled("kling")).toBe(false);
  });

  it("keeps the catalog's default order when costs tie, and always routes Animate locally", () => {
    const registry = createProviderRegistry({ ...all, relativeCosts: flatCosts });
    expect(
      providersOf(registry.routesFor("kling-3", { mode: "std", durationSeconds: 5, generateAudio: false }, noEnd)),
    ).toEqual(["kling", "kie", "fal", "replicate"]);
    expect(
      providersOf(
        registry.routesFor(
          "motion-control",
          { mode: "std", characterOrientation: "image", keepOriginalSound: true },
          noEnd,
        ),
      ),
    ).toEqual(["kling", "kie", "fal"]);
    expect(providersOf(createProviderRegistry({}).routesFor("animate", {}, noEnd))).toEqual(["local"]);
  });

  it("skips disabled providers", () => {
    const registry = createProviderRegistry({
      fal: { apiKey: "f" },
      replicate: { apiToken: "r" },
      relativeCosts: flatCosts,
    });
    expect(providersOf(registry.routesFor("veo-3.1", veoDefaults, noEnd))).toEqual(["fal", "replicate"]);
  });

  it("removes a route that cannot honour a parameter", () => {
    const registry = createProviderRegistry({ ...all, relativeCosts: flatCosts });
    // A seed: the Gemini API has none; Kie's Veo only takes 10000–99999.
    expect(providersOf(registry.routesFor("veo-3.1", { ...veoDefaults, seed: 7 }, noEnd))).toEqual([
      "fal",
      "replicate",
    ]);
    // A negative prompt on Kling 3.0: not in Kie's market input.
    expect(
      providersOf(
        registry.routesFor(
          "kling-3",
          { mode: "std", durationSeconds: 5, generateAudio: true, negativePrompt: "blur" },
          noEnd,
        ),
      ),
    ).toEqual(["kling", "fal", "replicate"]);
    // Silent Veo: the Gemini API and Kie's Veo always add sound.
    expect(providersOf(registry.routesFor("veo-3.1", { ...veoDefaults, generateAudio: false }, noEnd))).toEqual([
      "fal",
      "replicate",
    ]);
    const explained = explainRoutes(registry, "veo-3.1", { ...veoDefaults, seed: 7 }, noEnd);
    expect(explained.find((e) => e.provider === "google")).toMatchObject({
      usable: false,
      reason: expect.stringMatching(/seed/) as unknown,
    });
  });

  it("sends a long reference video with the photo's orientation past Kie (10 s there), decided from the probed length", () => {
    const registry = createProviderRegistry({ ...all, relativeCosts: flatCosts });
    const photoOrientation = { mode: "std", characterOrientation: "image", keepOriginalSound: true };
    expect(
      providersOf(
        registry.routesFor("motion-control", photoOrientation, { hasEndFrame: false, referenceVideoSeconds: 10 }),
      ),
    ).toEqual(["kling", "kie", "fal"]);
    expect(
      providersOf(
        registry.routesFor("motion-control", photoOrientation, { hasEndFrame: false, referenceVideoSeconds: 10.4 }),
      ),
    ).toEqual(["kling", "fal"]);
    // Following the video's orientation, Kie takes the full 30 s.
    expect(
      providersOf(
        registry.routesFor(
          "motion-control",
          { ...photoOrientation, characterOrientation: "video" },
          { hasEndFrame: false, referenceVideoSeconds: 24 },
        ),
      ),
    ).toEqual(["kling", "kie", "fal"]);
    const explained = explainRoutes(registry, "motion-control", photoOrientation, {
      hasEndFrame: false,
      referenceVideoSeconds: 12,
    });
    expect(explained.find((e) => e.provider === "kie")).toMatchObject({
      usable: false,
      reason: expect.stringMatching(/up to 10 s/) as unknown,
    });
  });

  it("routes a request without a prompt past Kie's Veo and Kling (their APIs require one), and keeps Kie when there is one", () => {
    const registry = createProviderRegistry({ ...all, relativeCosts: flatCosts });
    const kling = { mode: "std", durationSeconds: 5, generateAudio: true };
    expect(providersOf(registry.routesFor("veo-3.1", veoDefaults, { ...noEnd, hasPrompt: false }))).not.toContain(
      "kie",
    );
    expect(providersOf(registry.routesFor("kling-3", kling, { ...noEnd, hasPrompt: false }))).not.toContain("kie");
    expect(providersOf(registry.routesFor("veo-3.1", veoDefaults, { ...noEnd, hasPrompt: true }))).toContain("kie");
    expect(providersOf(registry.routesFor("kling-3", kling, { ...noEnd, hasPrompt: true }))).toContain("kie");
  });

  it("skips a provider whose circuit is open, keeps a half-open one", () => {
    const registry = createProviderRegistry({ ...all, relativeCosts: flatCosts });
    const params = {
      durationSeconds: 5,
      resolution: "720p",
      aspectRatio: "adaptive",
      cameraFixed: false,
      generateAudio: false,
    };
    expect(
      providersOf(registry.routesFor("seedance-2", params, noEnd, { bytedance: "open", fal: { state: "half_open" } })),
    ).toEqual(["kie", "fal", "replicate"]);
  });

  it("puts the cheaper healthy route first when the model allows it", () => {
    const registry = createProviderRegistry(all);
    // Default assumption: Kie is cheapest for Veo.
    expect(providersOf(registry.routesFor("veo-3.1", veoDefaults, noEnd))[0]).toBe("kie");
    const custom = createProviderRegistry({ ...all, relativeCosts: { ...flatCosts, replicate: { "veo-3.1": 0.2 } } });
    expect(providersOf(custom.routesFor("veo-3.1", veoDefaults, noEnd))).toEqual(["replicate", "google", "kie", "fal"]);
    // When the cheap route's circuit is open, the next cheapest leads.
    expect(providersOf(custom.routesFor("veo-3.1", veoDefaults, noEnd, { replicate: "open" }))).toEqual([
      "google",
      "kie",
      "fal",
    ]);
  });

  it("takes the circuit breaker's verdicts straight from recent attempts", () => {
    const now = 1_000_000_000;
    const attempts = [1, 2, 3, 4, 5].map((i) => ({
      provider: "kie",
      at: now - i * 1000,
      outcome: "transient" as const,
    }));
    const registry = createProviderRegistry({ ...all, relativeCosts: flatCosts });
    const health = circuitStatusByProvider(attempts, now);
    expect(
      providersOf(
        registry.routesFor("kling-3", { mode: "std", durationSeconds: 5, generateAudio: false }, noEnd, health),
      ),
    ).toEqual(["kling", "fal", "replicate"]);
  });
});
