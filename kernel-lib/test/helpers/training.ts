/** Data and comparisons shared by the trainers' tests. */
import { models, type MatrixLike } from "../../src/index";

/** Gaussian bumps with a jittered centre, scaled to [0, 1] by their maximum. */
export function bumps(rows: number, bins: number, seed: number): MatrixLike {
  const rnd = models.seededRandom(seed);
  const values = new Float32Array(rows * bins);
  for (let r = 0; r < rows; r++) {
    const c = bins / 2 + (rnd() - 0.5) * 4;
    for (let i = 0; i < bins; i++) values[r * bins + i] = Math.exp(-((i - c) ** 2) / 8) + 0.05 * rnd();
  }
  return { values, shape: [rows, bins] };
}

/** Relative difference of two loss curves, elementwise. */
export function maxRelDiff(a: readonly number[], b: readonly number[]): number {
  expect(a).toHaveLength(b.length);
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]) / Math.max(Math.abs(b[i]), 1e-12)));
}

/** Largest absolute difference of two arrays of the same length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}
