import type { AnimateParams, CameraMove } from "./animate-params";
import { frameCount } from "./animate-params";
import { motionProgressWith } from "./easing";
import { numberAlgebra, type MotionAlgebra } from "./motion-algebra";

/**
 * The camera at one frame: how much it magnifies the canvas (zoom ≥ 1) and where the centre
 * of the view sits, as fractions of the canvas width and height.
 */
export interface CameraState<T> {
  zoom: T;
  centerX: T;
  centerY: T;
}

/** Zoom reached at full travel; intensity scales it. Picked by eye on portraits and landscapes. */
const zoomTravel = { zoom: 0.5, dolly: 0.6, pan: 0.3, driftBase: 0.15, driftExtra: 0.1 } as const;

/**
 * The camera for a move at motion progress m (0 = start, 1 = end of the move). Every move
 * keeps the view inside the canvas by construction: a view of zoom z leaves a margin of
 * (1 - 1/z) of the canvas to travel in, and no move goes further than half of it per side.
 */
export function cameraForMove<T>(alg: MotionAlgebra<T>, move: CameraMove, intensity: number, m: T): CameraState<T> {
  const c = alg.constant;
  const half = c(0.5);
  const one = c(1);
  const margin = (zoom: T) => alg.sub(one, alg.div(one, zoom));
  const towards = (from: number, to: number) => alg.add(c(from), alg.mul(c(to - from), m));

  switch (move) {
    case "zoom_in":
      return { zoom: towards(1, 1 + zoomTravel.zoom * intensity), centerX: half, centerY: half };
    case "zoom_out":
      return { zoom: towards(1 + zoomTravel.zoom * intensity, 1), centerX: half, centerY: half };
    case "pan_left":
    case "pan_right":
    case "pan_up":
    case "pan_down": {
      const zoomValue = 1 + zoomTravel.pan * intensity;
      const travel = (1 - 1 / zoomValue) / 2;
      // "Pan left" turns the camera left: the view starts on the right and moves left.
      const startsHigh = move === "pan_left" || move === "pan_up";
      const along = startsHigh ? towards(0.5 + travel, 0.5 - travel) : towards(0.5 - travel, 0.5 + travel);
      const horizontal = move === "pan_left" || move === "pan_right";
      return { zoom: c(zoomValue), centerX: horizontal ? along : half, centerY: horizontal ? half : along };
    }
    case "dolly": {
      // Moving towards the subject: magnify, and rise a little towards where faces and
      // horizons usually sit (the upper third), as a camera on a dolly with a tilt would.
      const zoom = towards(1, 1 + zoomTravel.dolly * intensity);
      return { zoom, centerX: half, centerY: alg.sub(half, alg.mul(c(0.3), margin(zoom))) };
    }
    case "drift": {
      // An orbit seen from the front: the view travels half an ellipse (left → up → right)
      // while creeping closer. The ellipse is sized by the smallest zoom's margin, so it
      // fits at every frame.
      const baseZoom = 1 + zoomTravel.driftBase * intensity;
      const room = 1 - 1 / baseZoom;
      const angle = alg.mul(c(Math.PI), alg.sub(m, half));
      return {
        zoom: towards(baseZoom, baseZoom + zoomTravel.driftExtra * intensity),
        centerX: alg.add(half, alg.mul(c(0.45 * room), alg.sin(angle))),
        centerY: alg.sub(half, alg.mul(c(0.3 * room), alg.cos(angle))),
      };
    }
  }
}

/**
 * Time fraction of a frame. A looping clip samples [0, 1) so its frame N would equal frame
 * 0 (no doubled frame at the seam); a one-shot clip lands exactly on the end of the move.
 */
export function frameFractionWith<T>(alg: MotionAlgebra<T>, frame: T, frames: number, loop: boolean): T {
  return alg.div(frame, alg.constant(loop ? frames : frames - 1));
}

export function cameraAtFrameWith<T>(
  alg: MotionAlgebra<T>,
  params: Pick<AnimateParams, "cameraMove" | "easing" | "loop" | "intensity" | "durationSeconds" | "fps">,
  frame: T,
): CameraState<T> {
  const u = frameFractionWith(alg, frame, frameCount(params), params.loop);
  return cameraForMove(
    alg,
    params.cameraMove,
    params.intensity,
    motionProgressWith(alg, params.easing, params.loop, u),
  );
}

export function cameraAtFrame(
  params: Pick<AnimateParams, "cameraMove" | "easing" | "loop" | "intensity" | "durationSeconds" | "fps">,
  frame: number,
): CameraState<number> {
  return cameraAtFrameWith(numberAlgebra, params, frame);
}

/** The largest zoom a move reaches, which sizes the canvas it is rendered on. */
export function maxZoom(params: Pick<AnimateParams, "cameraMove" | "intensity">): number {
  let highest = 1;
  for (let i = 0; i <= 64; i++) {
    highest = Math.max(highest, cameraForMove(numberAlgebra, params.cameraMove, params.intensity, i / 64).zoom);
  }
  return highest;
}
