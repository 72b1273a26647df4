/**
 * The one sort every metric shares, from @dqm-playground/scoring (the service's own code, definitions in
 * docs/metrics.md): scores grouped by distinct value from highest to lowest, `tp[j]` / `fp[j]` counting
 * the bad / good lumisections in the top j tie groups. Bad (label 1) is the positive class; higher scores
 * are more anomalous. Plain arrays and typed arrays are both accepted.
 */
export {
  checkRate,
  rankByScore,
  type Labels as LabelArray,
  type RankedScores,
  type Scores as ScoreArray,
} from "@dqm-playground/scoring";
