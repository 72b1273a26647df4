/**
 * ROC and precision-recall curves with their areas, exact over tie groups (docs/metrics.md): every
 * tie-group step is a point, point 0 flags nothing; AUC is the trapezoid sum (= Mann-Whitney with ties
 * counted 1/2), AP is sum (R_j - R_{j-1}) P_j without interpolation (scikit-learn's definitions).
 */
import { checkRate, type RankedScores } from "./ranking";

export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  /** thresholds[0] = +Infinity (nothing flagged); a lumisection is flagged when score >= threshold. */
  thresholds: Float64Array;
  auc: number;
}

export interface PrecisionRecallCurve {
  precision: Float64Array;
  recall: Float64Array;
  thresholds: Float64Array;
  averagePrecision: number;
}

/** ROC AUC; NaN when a class is absent. Summed in integers, divided once. */
export function rocAucRanked(r: RankedScores): number {
  if (r.nBad === 0 || r.nGood === 0) return NaN;
  let twice = 0;
  for (let j = 1; j <= r.groups; j++) twice += (r.fp[j] - r.fp[j - 1]) * (r.tp[j] + r.tp[j - 1]);
  return twice / (2 * r.nBad * r.nGood);
}

export function rocCurveRanked(r: RankedScores): RocCurve {
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
  return { fpr, tpr, thresholds, auc: rocAucRanked(r) };
}

/** Average precision; NaN without bad lumisections. */
export function averagePrecisionRanked(r: RankedScores): number {
  if (r.nBad === 0) return NaN;
  let sum = 0;
  for (let j = 1; j <= r.groups; j++) {
    const dtp = r.tp[j] - r.tp[j - 1];
    if (dtp > 0) sum += (dtp * r.tp[j]) / (r.tp[j] + r.fp[j]);
  }
  return sum / r.nBad;
}

export function precisionRecallRanked(r: RankedScores): PrecisionRecallCurve {
  const len = r.groups + 1;
  const precision = new Float64Array(len);
  const recall = new Float64Array(len);
  const thresholds = new Float64Array(len);
  precision[0] = 1;
  recall[0] = r.nBad === 0 ? NaN : 0;
  thresholds[0] = Infinity;
  thresholds.set(r.scores, 1);
  for (let j = 1; j < len; j++) {
    precision[j] = r.tp[j] / (r.tp[j] + r.fp[j]);
    recall[j] = r.tp[j] / r.nBad;
  }
  return { precision, recall, thresholds, averagePrecision: averagePrecisionRanked(r) };
}

/** The largest TPR over thresholds (nothing flagged included) whose FPR <= target; NaN if a class is absent. */
export function recallAtFprRanked(r: RankedScores, target: number): number {
  checkRate("FPR target", target);
  if (r.nBad === 0 || r.nGood === 0) return NaN;
  let lo = 0;
  let hi = r.groups;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (r.fp[mid] / r.nGood <= target) lo = mid;
    else hi = mid - 1;
  }
  return r.tp[lo] / r.nBad;
}
