/**
 * ROC and precision-recall curves of @dqm-playground/scoring with their areas attached (docs/metrics.md):
 * every tie-group step is a point, point 0 flags nothing; AUC is the trapezoid sum, AP scikit-learn's.
 */
import {
  averagePrecision,
  precisionRecallCurve,
  rocAuc,
  rocCurve,
  type PrecisionRecallCurve as ScoringPrecisionRecallCurve,
  type RankedScores,
  type RocCurve as ScoringRocCurve,
} from "@dqm-playground/scoring";

export interface RocCurve extends ScoringRocCurve {
  /** ROC AUC; NaN when a class is absent. */
  auc: number;
}

export interface PrecisionRecallCurve extends ScoringPrecisionRecallCurve {
  /** Average precision; NaN without bad lumisections. */
  averagePrecision: number;
}

export function rocCurveRanked(r: RankedScores): RocCurve {
  return { ...rocCurve(r), auc: rocAuc(r) };
}

export function precisionRecallRanked(r: RankedScores): PrecisionRecallCurve {
  return { ...precisionRecallCurve(r), averagePrecision: averagePrecision(r) };
}
