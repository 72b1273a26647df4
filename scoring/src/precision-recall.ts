/** Precision-recall curve and average precision as scikit-learn defines them, tie groups as one threshold. */
import type { RankedScores } from "./ranking";

export interface PrecisionRecallCurve {
  /** Length groups + 1, thresholds decreasing; point 0 flags nothing: recall 0, precision 1 (sklearn's end point). */
  precision: Float64Array;
  recall: Float64Array;
  thresholds: Float64Array;
}

/** recall = tp / nBad (NaN throughout when there are no bad lumisections), precision = tp / (tp + fp). */
export function precisionRecallCurve(r: RankedScores): PrecisionRecallCurve {
  const len = r.groups + 1;
  const precision = new Float64Array(len);
  const recall = new Float64Array(len);
  const thresholds = new Float64Array(len);
  precision[0] = 1;
  thresholds[0] = Infinity;
  thresholds.set(r.scores, 1);
  for (let j = 1; j < len; j++) {
    precision[j] = r.tp[j] / (r.tp[j] + r.fp[j]);
    recall[j] = r.tp[j] / r.nBad;
  }
  recall[0] = r.nBad === 0 ? NaN : 0;
  return { precision, recall, thresholds };
}

/**
 * AP = sum over thresholds n of (R_n - R_{n-1}) * P_n, no interpolation (sklearn's
 * average_precision_score). Only groups holding bad lumisections add. NaN without bad lumisections
 * (sklearn returns 0 there, with a warning).
 */
export function averagePrecision(r: RankedScores): number {
  if (r.nBad === 0) return NaN;
  let sum = 0;
  for (let j = 1; j <= r.groups; j++) {
    const dtp = r.tp[j] - r.tp[j - 1];
    if (dtp > 0) sum += (dtp * r.tp[j]) / (r.tp[j] + r.fp[j]);
  }
  return sum / r.nBad;
}
