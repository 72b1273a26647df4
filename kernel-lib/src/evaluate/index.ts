/** Local evaluation with the service's metric definitions (docs/metrics.md). */
export { rankByScore, type RankedScores, type ScoreArray, type LabelArray } from "./ranking";
export type { RocCurve, PrecisionRecallCurve } from "./curves";
export type { GreyZone, GreyZoneCurve } from "./grey-zone";
export {
  metrics,
  rocAuc,
  rocCurve,
  averagePrecision,
  precisionRecall,
  recallAtFpr,
  greyZone,
  greyZoneCurve,
  DEFAULT_SETTINGS,
  type Metrics,
  type MetricSettings,
} from "./metrics";
export { scoreDistributions, type ScoreDistributions, type ScoreSeries } from "./distributions";
export { worst, reference, type WorstLumisection } from "./worst";
export { report, metricsTable } from "./report";
