import { describe, expect, it } from "vitest";
import { easings } from "./animate-params";
import { ease, motionProgress } from "./easing";

const samples = Array.from({ length: 101 }, (_, i) => i / 100);

describe("easing curves", () => {
  for (const easing of easings) {
    it(`${easing} runs from 0 to 1 and never goes back`, () => {
      expect(ease(easing, 0)).toBeCloseTo(0, 12);
      expect(ease(easing, 1)).toBeCloseTo(1, 12);
      for (let i = 1; i < samples.length; i++) {
        expect(ease(easing, samples[i] ?? 0)).toBeGreaterThan(ease(easing, samples[i - 1] ?? 0));
      }
    });
  }

  it("linear is the identity", () => {
    for (const u of samples) expect(ease("linear", u)).toBeCloseTo(u, 12);
  });

  it("ease_in starts at rest and ease_out ends at rest", () => {
    const h = 1e-4;
    expect(ease("ease_in", h) / h).toBeLessThan(0.01);
    expect((1 - ease("ease_out", 1 - h)) / h).toBeLessThan(0.01);
    // …and each is the other mirrored.
    for (const u of samples) expect(ease("ease_in", u)).toBeCloseTo(1 - ease("ease_out", 1 - u), 12);
  });

  it("ease_in_out is at rest at both ends and symmetric about the middle", () => {
    const h = 1e-4;
    expect(ease("ease_in_out", h) / h).toBeLessThan(0.01);
    expect((1 - ease("ease_in_out", 1 - h)) / h).toBeLessThan(0.01);
    expect(ease("ease_in_out", 0.5)).toBeCloseTo(0.5, 12);
    for (const u of samples) expect(ease("ease_in_out", u)).toBeCloseTo(1 - ease("ease_in_out", 1 - u), 12);
  });
});

describe("motion progress", () => {
  it("without loop it follows the easing and clamps outside [0, 1]", () => {
    expect(motionProgress("ease_out", false, 0.3)).toBeCloseTo(ease("ease_out", 0.3), 12);
    expect(motionProgress("linear", false, -0.5)).toBe(0);
    expect(motionProgress("linear", false, 1.5)).toBe(1);
  });

  it("with loop it goes out and comes back to where it started (ping-pong)", () => {
    for (const easing of easings) {
      expect(motionProgress(easing, true, 0)).toBeCloseTo(0, 12);
      expect(motionProgress(easing, true, 0.5)).toBeCloseTo(1, 12);
      expect(motionProgress(easing, true, 1)).toBeCloseTo(0, 12);
      for (const u of samples)
        expect(motionProgress(easing, true, u)).toBeCloseTo(motionProgress(easing, true, 1 - u), 12);
    }
  });
});
