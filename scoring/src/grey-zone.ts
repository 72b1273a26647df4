/**
 * Grey-zone saved effort: the two-step certification proposed by the DQM community. Lumisections scoring
 * at or below the low cut are certified GOOD automatically, at or above the high cut flagged BAD
 * automatically, and the grey zone in between goes to a shifter. Cuts are score values, so a tie group
 * is never split. Constraints:
 *   pollution = bad among auto-GOOD / |auto-GOOD| <= alpha        (0 when auto-GOOD is empty)
 *   rejected  = good among auto-BAD / all good     <= beta         (0 when auto-BAD is empty or no good)
 * Saved effort = max over valid cut pairs of (|auto-GOOD| + |auto-BAD|) / n.
 */
import { checkRate, type RankedScores } from "./ranking";

export interface GreyZone {
  savedEffort: number;
  /** Highest score certified GOOD (auto-GOOD = score <= lowCut); null when nothing is auto-GOOD. */
  lowCut: number | null;
  /** Lowest score flagged BAD (auto-BAD = score >= highCut); null when nothing is auto-BAD. */
  highCut: number | null;
  autoGood: number;
  autoBad: number;
  pollution: number;
  rejectedGoodFraction: number;
}

/** Saved effort as a step function of alpha at fixed beta: savedEffort[k] holds for alpha in [alpha[k], alpha[k+1]). */
export interface GreyZoneCurve {
  alpha: Float64Array;
  savedEffort: Float64Array;
}

// In terms of RankedScores: auto-BAD is the top j groups, auto-GOOD the groups from index m down, j <= m.

function pollutionFrom(r: RankedScores, m: number): number {
  const size = r.n - r.tp[m] - r.fp[m];
  return size === 0 ? 0 : (r.nBad - r.tp[m]) / size;
}

function rejectedTop(r: RankedScores, j: number): number {
  return r.nGood === 0 ? 0 : r.fp[j] / r.nGood;
}

/** Most groups that may be auto-BAD under beta; rejected() only grows with j, hence a binary search. */
function maxHighGroups(r: RankedScores, beta: number): number {
  let lo = 0;
  let hi = r.groups;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (rejectedTop(r, mid) <= beta) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Auto-decided count for low boundary m: the two constraints only meet through j <= m. */
function decidedAt(r: RankedScores, m: number, jStar: number): number {
  const j = Math.min(jStar, m);
  return r.n - r.tp[m] - r.fp[m] + r.tp[j] + r.fp[j];
}

/**
 * Exact optimum in O(groups). Among equally good cut pairs, the one with the most auto-GOOD lumisections
 * (then the most auto-BAD) wins.
 */
export function greyZone(r: RankedScores, alpha: number, beta: number): GreyZone {
  checkRate("alpha", alpha);
  checkRate("beta", beta);
  const jStar = maxHighGroups(r, beta);
  // m = groups (nothing auto-GOOD) always satisfies alpha, so a best m exists.
  let bestM = r.groups;
  let best = -1;
  for (let m = 0; m <= r.groups; m++) {
    if (pollutionFrom(r, m) > alpha) continue;
    const decided = decidedAt(r, m, jStar);
    if (decided > best) {
      best = decided;
      bestM = m;
    }
  }
  const j = Math.min(jStar, bestM);
  return {
    savedEffort: best / r.n,
    lowCut: bestM < r.groups ? r.scores[bestM] : null,
    highCut: j > 0 ? r.scores[j - 1] : null,
    autoGood: r.n - r.tp[bestM] - r.fp[bestM],
    autoBad: r.tp[j] + r.fp[j],
    pollution: pollutionFrom(r, bestM),
    rejectedGoodFraction: rejectedTop(r, j),
  };
}

/**
 * The exact Pareto front of (pollution, saved effort) at fixed beta, in O(n + groups) without a second
 * sort: decided counts are integers in [0, n], so bucket the least pollution reaching each count, then
 * take suffix minima. Starts at alpha = 0 (nothing auto-GOOD is always allowed).
 */
export function greyZoneCurve(r: RankedScores, beta: number): GreyZoneCurve {
  checkRate("beta", beta);
  const jStar = maxHighGroups(r, beta);
  const leastPollution = new Float64Array(r.n + 1).fill(Infinity);
  for (let m = 0; m <= r.groups; m++) {
    const decided = decidedAt(r, m, jStar);
    const p = pollutionFrom(r, m);
    if (p < leastPollution[decided]) leastPollution[decided] = p;
  }
  const alphas: number[] = [];
  const saved: number[] = [];
  let reach = Infinity;
  for (let d = r.n; d >= 0; d--) {
    if (leastPollution[d] < reach) {
      reach = leastPollution[d];
      alphas.push(reach);
      saved.push(d / r.n);
    }
  }
  return { alpha: Float64Array.from(alphas.reverse()), savedEffort: Float64Array.from(saved.reverse()) };
}
