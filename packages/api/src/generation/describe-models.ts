import { models, parseModelParams, priceRange } from "@animateimg/catalog";

/** A model can run on this server when one of its routes is the local engine or an enabled provider. */
export function isModelRunnable(model: { routes: readonly string[] }, enabledProviders: ReadonlySet<string>): boolean {
  return model.routes.some((route) => route === "local" || enabledProviders.has(route));
}

/** The model picker's view of the catalog (generation.models and GET /api/v1/models). */
export function describeModels(enabledProviders: ReadonlySet<string>) {
  return models.map((model) => {
    const defaults = parseModelParams(model.id, {});
    return {
      id: model.id,
      label: model.label,
      tagline: model.tagline,
      goodAt: model.goodAt,
      limits: model.limits,
      inputs: model.inputs,
      promptMaxLength: model.promptMaxLength,
      defaults: defaults.ok ? defaults.params : {},
      fields: model.fields,
      priceRange: priceRange(model.id),
      available: isModelRunnable(model, enabledProviders),
    };
  });
}
