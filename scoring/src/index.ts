/**
 * @dqm-playground/scoring: the exact metrics of docs/metrics.md (ROC AUC, average precision, recall at
 * FPR, grey-zone saved effort, coarse curves), pure TypeScript without dependencies. The service scores
 * submissions with it and the kernel library evaluates locally with it, so both give the same numbers.
 */
export { ScoringInputError } from "./errors";
export { checkRate, rankByScore, type Labels, type RankedScores, type Scores } from "./ranking";
export { rocAuc, rocCurve, recallAtFpr, type RocCurve } from "./roc";
export { averagePrecision, precisionRecallCurve, type PrecisionRecallCurve } from "./precision-recall";
export { greyZone, greyZoneCurve, type GreyZone, type GreyZoneCurve } from "./grey-zone";
export {
  coarseCurves,
  savedEffortAt,
  DEFAULT_CURVE_GRIDS,
  GREY_ZONE_ALPHA_GRID,
  ROC_FPR_GRID,
  type CoarseCurves,
  type CurveGrids,
} from "./coarse-curves";
export {
  DEFAULT_METRIC_SETTINGS,
  resolveSettings,
  scoreAll,
  scoreRanked,
  type Metrics,
  type MetricSettings,
} from "./metrics";
