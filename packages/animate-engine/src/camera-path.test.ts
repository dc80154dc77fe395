import { describe, expect, it } from "vitest";
import { animateParamsSchema, cameraMoves, easings, outputSize, type AnimateParams } from "./animate-params";
import { cameraAtFrame, cameraAtFrameWith, ffmpegExpressionAlgebra, maxZoom } from "@animateimg/motion";
import { buildFilterGraph } from "./build-filter-graph";

function params(overrides: Partial<AnimateParams>): AnimateParams {
  return animateParamsSchema.parse({ durationSeconds: 2, fps: 24, ...overrides });
}

describe("camera path", () => {
  it("keeps the view inside the photo for every move, intensity, easing and frame", () => {
    for (const cameraMove of cameraMoves) {
      for (const intensity of [0.1, 0.5, 1]) {
        for (const easing of easings) {
          for (const loop of [false, true]) {
            const p = params({ cameraMove, intensity, easing, loop });
            for (let frame = 0; frame < 48; frame++) {
              const { zoom, centerX, centerY } = cameraAtFrame(p, frame);
              const half = 0.5 / zoom;
              expect(zoom).toBeGreaterThanOrEqual(1);
              expect(centerX - half).toBeGreaterThanOrEqual(-1e-9);
              expect(centerX + half).toBeLessThanOrEqual(1 + 1e-9);
              expect(centerY - half).toBeGreaterThanOrEqual(-1e-9);
              expect(centerY + half).toBeLessThanOrEqual(1 + 1e-9);
            }
          }
        }
      }
    }
  });

  it("moves the way each move is named", () => {
    const at = (cameraMove: AnimateParams["cameraMove"], frame: number) =>
      cameraAtFrame(params({ cameraMove, easing: "linear" }), frame);
    expect(at("zoom_in", 47).zoom).toBeGreaterThan(at("zoom_in", 0).zoom);
    expect(at("zoom_out", 47).zoom).toBeLessThan(at("zoom_out", 0).zoom);
    expect(at("pan_left", 47).centerX).toBeLessThan(at("pan_left", 0).centerX);
    expect(at("pan_right", 47).centerX).toBeGreaterThan(at("pan_right", 0).centerX);
    expect(at("pan_up", 47).centerY).toBeLessThan(at("pan_up", 0).centerY);
    expect(at("pan_down", 47).centerY).toBeGreaterThan(at("pan_down", 0).centerY);
    expect(at("dolly", 47).zoom).toBeGreaterThan(at("dolly", 0).zoom);
    expect(at("dolly", 47).centerY).toBeLessThan(at("dolly", 0).centerY);
    // drift: left to right over an arc that rises in the middle, creeping closer.
    expect(at("drift", 47).centerX).toBeGreaterThan(at("drift", 0).centerX);
    expect(at("drift", 24).centerY).toBeLessThan(at("drift", 0).centerY);
    expect(at("drift", 47).zoom).toBeGreaterThan(at("drift", 0).zoom);
  });

  it("intensity scales how far the camera travels", () => {
    expect(maxZoom({ cameraMove: "zoom_in", intensity: 1 })).toBeCloseTo(1.5, 9);
    expect(maxZoom({ cameraMove: "zoom_in", intensity: 0.2 })).toBeCloseTo(1.1, 9);
  });

  it("a loop's frame N would be frame 0 again, so the clip repeats without a seam", () => {
    const p = params({ cameraMove: "drift", loop: true, easing: "ease_in_out" });
    expect(cameraAtFrame(p, 48)).toEqual(cameraAtFrame(p, 0));
    const last = cameraAtFrame(p, 47);
    expect(Math.abs(last.centerX - cameraAtFrame(p, 0).centerX)).toBeLessThan(0.001);
  });
});

describe("filter graph", () => {
  it("sizes frames by short side and aspect, always even", () => {
    expect(outputSize("16:9", "480p")).toEqual({ width: 854, height: 480 });
    expect(outputSize("16:9", "720p")).toEqual({ width: 1280, height: 720 });
    expect(outputSize("16:9", "1080p")).toEqual({ width: 1920, height: 1080 });
    expect(outputSize("9:16", "720p")).toEqual({ width: 720, height: 1280 });
    expect(outputSize("1:1", "1080p")).toEqual({ width: 1080, height: 1080 });
  });

  it("fill-crops any photo to the aspect and never upscales the canvas past the photo", () => {
    const p = params({ cameraMove: "zoom_in", aspectRatio: "9:16", resolution: "480p", intensity: 1 });
    const wide = buildFilterGraph(p, { width: 4000, height: 3000 });
    expect(wide.filterGraph).toContain("crop=1688:3000");
    expect(wide.canvasWidth / wide.width).toBeCloseTo(1.5, 1);
    const small = buildFilterGraph(p, { width: 300, height: 200 });
    expect([small.canvasWidth, small.canvasHeight]).toEqual([480, 854]);
  });

  it("writes the camera path as ffmpeg expressions that agree with the numeric path", () => {
    // The same definition instantiated over strings: evaluating those strings (with the few
    // functions the algebra emits) must give the numbers the other tests check.
    for (const cameraMove of cameraMoves) {
      for (const easing of easings) {
        const p = params({ cameraMove, easing, loop: cameraMove === "drift", intensity: 0.7 });
        const expressions = cameraAtFrameWith(ffmpegExpressionAlgebra, p, "FRAME");
        for (const frame of [0, 7, 24, 47]) {
          const want = cameraAtFrame(p, frame);
          for (const key of ["zoom", "centerX", "centerY"] as const) {
            expect(evaluate(expressions[key].replaceAll("FRAME", String(frame)))).toBeCloseTo(want[key], 9);
          }
        }
      }
    }
  });

  it("feeds perspective a 0-based frame number (its `in` counts from 1)", () => {
    const plan = buildFilterGraph(params({ cameraMove: "zoom_in" }), { width: 1920, height: 1080 });
    expect(plan.filterGraph).toContain("(in-1)");
    expect(plan.filterGraph).not.toMatch(/[^(]in\//);
  });
});

/** A tiny evaluator for the expression subset ffmpegExpressionAlgebra writes. */
function evaluate(source: string): number {
  let at = 0;
  const peek = () => source[at] ?? "";
  const expect = (char: string) => {
    if (source[at] !== char) throw new Error(`expected ${char} at ${at} in ${source}`);
    at++;
  };
  const primary = (): number => {
    if (peek() === "(") {
      at++;
      const value = sum();
      expect(")");
      return value;
    }
    const name = /^[a-z]+/.exec(source.slice(at))?.[0];
    if (name) {
      at += name.length;
      expect("(");
      const args = [sum()];
      while (peek() === ",") {
        at++;
        args.push(sum());
      }
      expect(")");
      const functions: Record<string, ((...values: number[]) => number) | undefined> = {
        sin: Math.sin,
        cos: Math.cos,
        abs: Math.abs,
        min: Math.min,
        max: Math.max,
      };
      const fn = functions[name];
      if (!fn) throw new Error(`unknown function ${name}`);
      return fn(...args);
    }
    const number = /^-?[0-9.]+(e[-+]?[0-9]+)?/.exec(source.slice(at))?.[0];
    if (!number) throw new Error(`unexpected ${source.slice(at)}`);
    at += number.length;
    return Number(number);
  };
  const product = (): number => {
    let value = primary();
    while (peek() === "*" || peek() === "/") {
      const op = source[at++];
      const right = primary();
      value = op === "*" ? value * right : value / right;
    }
    return value;
  };
  const sum = (): number => {
    let value = product();
    while (peek() === "+" || peek() === "-") {
      const op = source[at++];
      const right = product();
      value = op === "+" ? value + right : value - right;
    }
    return value;
  };
  const value = sum();
  if (at !== source.length) throw new Error(`trailing ${source.slice(at)}`);
  return value;
}
