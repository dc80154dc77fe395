/**
 * The camera path is written once against this small algebra and instantiated twice: over
 * numbers (tests, the poster choice, anything in TypeScript that needs the camera at a
 * frame) and over ffmpeg expression strings (evaluated per frame inside the filter graph).
 * One definition means the motion we test is the motion ffmpeg renders.
 */
export interface MotionAlgebra<T> {
  constant: (value: number) => T;
  add: (a: T, b: T) => T;
  sub: (a: T, b: T) => T;
  mul: (a: T, b: T) => T;
  div: (a: T, b: T) => T;
  sin: (a: T) => T;
  cos: (a: T) => T;
  abs: (a: T) => T;
  min: (a: T, b: T) => T;
  max: (a: T, b: T) => T;
}

export const numberAlgebra: MotionAlgebra<number> = {
  constant: (value) => value,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  sin: Math.sin,
  cos: Math.cos,
  abs: Math.abs,
  min: Math.min,
  max: Math.max,
};

/** ffmpeg's expression syntax (libavutil/eval): the same operators and function names. */
export const ffmpegExpressionAlgebra: MotionAlgebra<string> = {
  // 12 significant digits keep the per-frame position exact far below 1/256 px.
  constant: (value) => (Number.isInteger(value) ? String(value) : value.toPrecision(12)).replace(/^-(.*)$/, "(-$1)"),
  add: (a, b) => `(${a}+${b})`,
  sub: (a, b) => `(${a}-${b})`,
  mul: (a, b) => `(${a}*${b})`,
  div: (a, b) => `(${a}/${b})`,
  sin: (a) => `sin(${a})`,
  cos: (a) => `cos(${a})`,
  abs: (a) => `abs(${a})`,
  min: (a, b) => `min(${a},${b})`,
  max: (a, b) => `max(${a},${b})`,
};
