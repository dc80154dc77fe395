import type { Easing } from "./animate-params";
import { numberAlgebra, type MotionAlgebra } from "./motion-algebra";

/**
 * Sine easings rather than polynomials: they are as smooth (zero velocity at the eased
 * ends), and ffmpeg's expression language has sin/cos but no cheap integer powers.
 * Each maps 0→0 and 1→1 and is monotonic on [0, 1].
 */
export function easeWith<T>(alg: MotionAlgebra<T>, easing: Easing, u: T): T {
  const halfPi = alg.constant(Math.PI / 2);
  switch (easing) {
    case "linear":
      return u;
    case "ease_in":
      return alg.sub(alg.constant(1), alg.cos(alg.mul(u, halfPi)));
    case "ease_out":
      return alg.sin(alg.mul(u, halfPi));
    case "ease_in_out":
      return alg.mul(alg.constant(0.5), alg.sub(alg.constant(1), alg.cos(alg.mul(u, alg.constant(Math.PI)))));
  }
}

export function ease(easing: Easing, u: number): number {
  return easeWith(numberAlgebra, easing, u);
}

/**
 * Where along the move a clip is, from its time fraction u in [0, 1]. A looping clip goes
 * out and back (ping-pong) so its last frame leads into its first; the easing applies to
 * each half, so ease_in_out also turns around without a jolt.
 */
export function motionProgressWith<T>(alg: MotionAlgebra<T>, easing: Easing, loop: boolean, u: T): T {
  const clamped = alg.min(alg.constant(1), alg.max(alg.constant(0), u));
  const there = loop
    ? alg.sub(alg.constant(1), alg.abs(alg.sub(alg.mul(alg.constant(2), clamped), alg.constant(1))))
    : clamped;
  return easeWith(alg, easing, there);
}

export function motionProgress(easing: Easing, loop: boolean, u: number): number {
  return motionProgressWith(numberAlgebra, easing, loop, u);
}
