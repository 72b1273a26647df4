/**
 * Coarse ROC and grey-zone curves of a submission, for comparing submissions on the leaderboard. They are
 * the exact statistics (recall at a false-positive rate, grey-zone saved effort) read at a FIXED grid of
 * rates, never the exact curves: the exact ROC curve of scores a participant chose has one step per tie
 * group, so scores that put each lumisection in its own group would give back the label of every test
 * lumisection, one step each. On a fixed grid a submission reveals a few dozen numbers per part of the
 * test split, of the same kind as the recall@FPR and saved effort the leaderboard already shows.
 * See docs/metrics.md.
 */
import { checkRate, type RankedScores } from "./ranking";
import { recallAtFpr } from "./roc";
import { greyZoneCurve, type GreyZoneCurve } from "./grey-zone";

/** False-positive rates at which the ROC curve is reported. */
export const ROC_FPR_GRID: readonly number[] = Object.freeze([
  0, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
]);

/** Allowed pollutions (alpha) at which the grey-zone saved effort is reported. */
export const GREY_ZONE_ALPHA_GRID: readonly number[] = Object.freeze([
  0, 0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1,
]);

export interface CoarseCurves {
  /** `tpr[k]` = recall at `fpr[k]`: the largest TPR whose FPR <= `fpr[k]` (NaN when a class is absent). */
  roc: { fpr: number[]; tpr: number[] };
  /** `savedEffort[k]` = the exact grey-zone saved effort at `alpha[k]` and `beta`. */
  greyZone: { beta: number; alpha: number[]; savedEffort: number[] };
}

export interface CurveGrids {
  fpr: readonly number[];
  alpha: readonly number[];
}

export const DEFAULT_CURVE_GRIDS: Readonly<CurveGrids> = Object.freeze({
  fpr: ROC_FPR_GRID,
  alpha: GREY_ZONE_ALPHA_GRID,
});

/** A grid is a non-empty, strictly increasing list of rates in [0, 1]. */
function checkGrid(name: string, grid: readonly number[]): void {
  if (grid.length === 0) throw new RangeError(`the ${name} grid is empty`);
  grid.forEach((v, i) => {
    checkRate(`${name} grid entry`, v);
    if (i > 0 && !(v > grid[i - 1]))
      throw new RangeError(`the ${name} grid must increase: ${grid[i - 1]} is followed by ${v}`);
  });
}

/** Value of the saved-effort step function at `alpha`: the last step starting at or below it. */
export function savedEffortAt(curve: GreyZoneCurve, alpha: number): number {
  // curve.alpha[0] = 0, so for alpha >= 0 there is always such a step; binary search for the last one.
  let lo = 0;
  let hi = curve.alpha.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (curve.alpha[mid] <= alpha) lo = mid;
    else hi = mid - 1;
  }
  return curve.savedEffort[lo];
}

/**
 * Both curves on their grids from one ranking: recall at each FPR by `recallAtFpr`, saved effort at each
 * alpha read from the exact `greyZoneCurve` (equal to `greyZone(r, alpha, beta).savedEffort`).
 * O(n + groups + grid sizes x log groups).
 */
export function coarseCurves(
  r: RankedScores,
  beta: number,
  grids: CurveGrids = DEFAULT_CURVE_GRIDS,
): CoarseCurves {
  checkRate("beta", beta);
  checkGrid("fpr", grids.fpr);
  checkGrid("alpha", grids.alpha);
  const zone = greyZoneCurve(r, beta);
  return {
    roc: { fpr: [...grids.fpr], tpr: grids.fpr.map((f) => recallAtFpr(r, f)) },
    greyZone: {
      beta,
      alpha: [...grids.alpha],
      savedEffort: grids.alpha.map((a) => savedEffortAt(zone, a)),
    },
  };
}
