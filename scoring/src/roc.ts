/**
 * ROC curve, ROC AUC and recall at a fixed false-positive rate, exact over tie groups.
 * Bad lumisections are the positive class; a lumisection is flagged when its score >= the threshold.
 */
import { checkRate, type RankedScores } from "./ranking";

export interface RocCurve {
  /** One point per threshold, length groups + 1; point 0 flags nothing (threshold +Infinity, as sklearn). */
  fpr: Float64Array;
  tpr: Float64Array;
  thresholds: Float64Array;
}

/**
 * Every tie-group step, without sklearn's drop_intermediate thinning. fpr (tpr) is NaN throughout when
 * there are no good (bad) lumisections.
 */
export function rocCurve(r: RankedScores): RocCurve {
  const len = r.groups + 1;
  const fpr = new Float64Array(len);
  const tpr = new Float64Array(len);
  const thresholds = new Float64Array(len);
  thresholds[0] = Infinity;
  thresholds.set(r.scores, 1);
  for (let j = 0; j < len; j++) {
    fpr[j] = r.fp[j] / r.nGood;
    tpr[j] = r.tp[j] / r.nBad;
  }
  return { fpr, tpr, thresholds };
}

/**
 * Trapezoids over the tie-group steps, i.e. the Mann-Whitney U statistic with ties counting 1/2:
 * P(score of a random bad > score of a random good) + P(equal) / 2. Summed in exact integers and divided
 * once. NaN when one class is absent (sklearn raises there).
 */
export function rocAuc(r: RankedScores): number {
  if (r.nBad === 0 || r.nGood === 0) return NaN;
  // Twice the area in units of one (bad, good) pair; exact in doubles while nBad * nGood < 2^52.
  let twiceU = 0;
  for (let j = 1; j <= r.groups; j++) twiceU += (r.fp[j] - r.fp[j - 1]) * (r.tp[j] + r.tp[j - 1]);
  return twiceU / (2 * r.nBad * r.nGood);
}

/**
 * The largest TPR among thresholds (the "flag nothing" one included) whose FPR = fp / nGood <= target.
 * Both rates grow with the number of groups flagged, so that is the TPR at the last such threshold.
 * NaN when a class is absent. The target must be a rate in [0, 1].
 */
export function recallAtFpr(r: RankedScores, target: number): number {
  checkRate("FPR target", target);
  if (r.nBad === 0 || r.nGood === 0) return NaN;
  // Binary search for the last j with fp[j] / nGood <= target (fp[0] = 0 always qualifies).
  let lo = 0;
  let hi = r.groups;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (r.fp[mid] / r.nGood <= target) lo = mid;
    else hi = mid - 1;
  }
  return r.tp[lo] / r.nBad;
}
