import { describe, expect, it } from "vitest";
import { cameraMoves, frameCount, type AnimateParams } from "./animate-params";
import { cropForAspect, fadeLevelAtFrame, photoRectAtFrame } from "./frame-geometry";
import { drawPreviewFrame, frameAtTime, type PreviewSurface } from "./preview-frame";

const base: AnimateParams = {
  cameraMove: "zoom_in",
  durationSeconds: 2,
  aspectRatio: "16:9",
  resolution: "480p",
  fps: 24,
  easing: "ease_in_out",
  loop: false,
  fade: false,
  intensity: 1,
};

describe("frame geometry", () => {
  it("crops the largest centred rectangle of the frame's aspect", () => {
    expect(cropForAspect("16:9", { width: 4000, height: 3000 })).toEqual({ x: 0, y: 375, width: 4000, height: 2250 });
    expect(cropForAspect("9:16", { width: 1600, height: 900 })).toEqual({ x: 547, y: 0, width: 506, height: 900 });
    expect(cropForAspect("1:1", { width: 800, height: 1200 })).toEqual({ x: 0, y: 200, width: 800, height: 800 });
  });

  it("keeps every frame's rectangle inside the photo, starting at the whole crop for a zoom in", () => {
    const source = { width: 1500, height: 1000 };
    expect(photoRectAtFrame(base, source, 0)).toEqual(cropForAspect("16:9", source));
    for (const cameraMove of cameraMoves) {
      const params = { ...base, cameraMove };
      for (let frame = 0; frame < frameCount(params); frame++) {
        const rect = photoRectAtFrame(params, source, frame);
        expect(rect.x).toBeGreaterThanOrEqual(-1e-9);
        expect(rect.y).toBeGreaterThanOrEqual(-1e-9);
        expect(rect.x + rect.width).toBeLessThanOrEqual(source.width + 1e-9);
        expect(rect.y + rect.height).toBeLessThanOrEqual(source.height + 1e-9);
      }
    }
  });

  it("fades in from black and out to black on the last frame", () => {
    const params = { ...base, fade: true };
    const last = frameCount(params) - 1;
    expect(fadeLevelAtFrame(params, 0)).toBe(0);
    expect(fadeLevelAtFrame(params, last)).toBe(0);
    expect(fadeLevelAtFrame(params, Math.floor(last / 2))).toBe(1);
    expect(fadeLevelAtFrame({ ...params, fade: false }, 0)).toBe(1);
  });

  it("draws the frame's rectangle of the photo and the fade on the surface it is given", () => {
    const calls: unknown[][] = [];
    const surface: PreviewSurface<string> = {
      drawImage: (...args) => calls.push(["drawImage", ...args]),
      fillRect: (...args) => calls.push(["fillRect", ...args, surface.globalAlpha]),
      fillStyle: "",
      globalAlpha: 1,
      imageSmoothingEnabled: false,
      imageSmoothingQuality: "low",
    };
    const source = { width: 1600, height: 900 };
    drawPreviewFrame(surface, "photo", source, { ...base, fade: true }, 4, { width: 320, height: 180 });
    const rect = photoRectAtFrame(base, source, 4);
    expect(calls[0]).toEqual(["drawImage", "photo", rect.x, rect.y, rect.width, rect.height, 0, 0, 320, 180]);
    expect(calls[1]?.[0]).toBe("fillRect");
    expect(surface.globalAlpha).toBe(1);
  });

  it("plays a loop around and holds a one-shot's last frame before starting again", () => {
    const frames = frameCount(base);
    expect(frameAtTime(base, frames, 0)).toBe(0);
    expect(frameAtTime(base, frames, (1000 / 24) * 47.5)).toBe(47);
    expect(frameAtTime(base, frames, 2000 + 300)).toBe(47);
    expect(frameAtTime(base, frames, 2000 + 700 + 1)).toBe(0);
    expect(frameAtTime({ ...base, loop: true }, frames, 2000 + 1)).toBe(0);
  });
});
