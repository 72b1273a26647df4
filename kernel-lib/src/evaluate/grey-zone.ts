/**
 * Grey-zone saved effort with the service's definition (docs/metrics.md): lumisections scoring at or
 * below the low cut are certified GOOD automatically, at or above the high cut flagged BAD, the rest go
 * to a shifter. pollution = bad among auto-GOOD / |auto-GOOD| <= alpha (0 when empty); rejected = good
 * among auto-BAD / all good <= beta (0 when empty or no good). Saved effort = the most auto-decided
 * lumisections over valid cut pairs, divided by n. Tie groups are never split.
 */
import { checkRate, type RankedScores } from "./ranking";

export interface GreyZone {
  savedEffort: number;
  /** Highest score certified GOOD; null when nothing is auto-GOOD. */
  lowCut: number | null;
  /** Lowest score flagged BAD; null when nothing is auto-BAD. */
  highCut: number | null;
  autoGood: number;
  autoBad: number;
  pollution: number;
  rejectedGoodFraction: number;
}

/** savedEffort[k] holds for alpha in [alpha[k], alpha[k+1]), from alpha = 0, at a fixed beta. */
export interface GreyZoneCurve {
  alpha: Float64Array;
  savedEffort: Float64Array;
  beta: number;
}

// auto-BAD: the top j groups; auto-GOOD: the groups from index m on; j <= m.
const goodSize = (r: RankedScores, m: number) => r.n - r.tp[m] - r.fp[m];
const pollution = (r: RankedScores, m: number) => {
  const size = goodSize(r, m);
  return size === 0 ? 0 : (r.nBad - r.tp[m]) / size;
};
const rejected = (r: RankedScores, j: number) => (r.nGood === 0 ? 0 : r.fp[j] / r.nGood);

/** Most top groups that can be auto-BAD under beta (rejected grows with j). */
function highGroups(r: RankedScores, beta: number): number {
  let j = 0;
  while (j < r.groups && rejected(r, j + 1) <= beta) j++;
  return j;
}

const decided = (r: RankedScores, m: number, jStar: number) => {
  const j = Math.min(jStar, m);
  return goodSize(r, m) + r.tp[j] + r.fp[j];
};

/** The optimal cuts in O(groups); among equal optima the largest auto-GOOD region wins. */
export function greyZoneRanked(r: RankedScores, alpha: number, beta: number): GreyZone {
  checkRate("alpha", alpha);
  checkRate("beta", beta);
  const jStar = highGroups(r, beta);
  let bestM = r.groups;
  let best = -1;
  for (let m = 0; m <= r.groups; m++) {
    if (pollution(r, m) > alpha) continue;
    const d = decided(r, m, jStar);
    if (d > best) {
      best = d;
      bestM = m;
    }
  }
  const j = Math.min(jStar, bestM);
  return {
    savedEffort: best / r.n,
    lowCut: bestM < r.groups ? r.scores[bestM] : null,
    highCut: j > 0 ? r.scores[j - 1] : null,
    autoGood: goodSize(r, bestM),
    autoBad: r.tp[j] + r.fp[j],
    pollution: pollution(r, bestM),
    rejectedGoodFraction: rejected(r, j),
  };
}

/** The exact Pareto front of (pollution, saved effort) over every low cut, at fixed beta. */
export function greyZoneCurveRanked(r: RankedScores, beta: number): GreyZoneCurve {
  checkRate("beta", beta);
  const jStar = highGroups(r, beta);
  const least = new Float64Array(r.n + 1).fill(Infinity);
  for (let m = 0; m <= r.groups; m++) {
    const d = decided(r, m, jStar);
    const p = pollution(r, m);
    if (p < least[d]) least[d] = p;
  }
  const alpha: number[] = [];
  const saved: number[] = [];
  let reach = Infinity;
  for (let d = r.n; d >= 0; d--)
    if (least[d] < reach) {
      reach = least[d];
      alpha.push(reach);
      saved.push(d / r.n);
    }
  return { alpha: Float64Array.from(alpha.reverse()), savedEffort: Float64Array.from(saved.reverse()), beta };
}
