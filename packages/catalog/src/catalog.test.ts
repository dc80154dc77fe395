import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { getModel, modelIds, models, parseModelParams, priceOf, priceRange } from "./index";

describe("model catalog", () => {
  it.each(models.map((m) => [m.id, m] as const))("%s: every parameter has exactly one form field", (_id, model) => {
    const schema = model.paramsSchema as unknown as z.ZodObject;
    expect(model.fields.map((f) => f.key).sort()).toEqual(Object.keys(schema.shape).sort());
  });

  it.each(modelIds)("%s: defaults parse and price to a positive whole number of credits", (id) => {
    const parsed = parseModelParams(id, {});
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const price = priceOf(id, parsed.params);
    expect(Number.isInteger(price)).toBe(true);
    expect(price).toBeGreaterThan(0);
    const range = priceRange(id);
    expect(range.min).toBeLessThanOrEqual(price);
    expect(range.max).toBeGreaterThanOrEqual(price);
  });

  it("prices longer and sharper Animate clips higher", () => {
    const short = parseModelParams("animate", { durationSeconds: 2, resolution: "480p" });
    const long = parseModelParams("animate", { durationSeconds: 10, resolution: "1080p" });
    if (!short.ok || !long.ok) throw new Error("parse failed");
    expect(priceOf("animate", short.params)).toBe(2);
    expect(priceOf("animate", long.params)).toBe(30);
  });

  it("refuses out-of-range values with the field's label in the message", () => {
    const result = parseModelParams("kling-3", { durationSeconds: 20 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toMatch(/^Duration: /);
    expect(result.fieldErrors.durationSeconds).toBeDefined();
  });

  it("refuses parameters a model does not have", () => {
    const result = parseModelParams("animate", { generateAudio: true });
    expect(result.ok).toBe(false);
  });

  it("enforces VEO's 1080p-needs-8-seconds rule", () => {
    const bad = parseModelParams("veo-3.1", { resolution: "1080p", durationSeconds: 4 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toContain("1080p is only available for 8-second videos");
    expect(parseModelParams("veo-3.1", { resolution: "1080p", durationSeconds: 8 }).ok).toBe(true);
  });

  it("prices Motion Control by the reference video's length once known", () => {
    const parsed = parseModelParams("motion-control", {});
    if (!parsed.ok) throw new Error("parse failed");
    expect(priceOf("motion-control", parsed.params, { referenceVideoSeconds: 10 })).toBe(80);
    expect(priceOf("motion-control", parsed.params)).toBe(240);
  });

  it("lists routes in the documented default order", () => {
    expect(getModel("animate").routes).toEqual(["local"]);
    expect(getModel("kling-3").routes).toEqual(["kling", "kie", "fal", "replicate"]);
    expect(getModel("veo-3.1").routes).toEqual(["google", "kie", "fal", "replicate"]);
    expect(getModel("seedance-2").routes).toEqual(["bytedance", "kie", "fal", "replicate"]);
    expect(getModel("motion-control").routes).toEqual(["kling", "kie", "fal"]);
  });
});
