/**
 * Leaderboard metrics of one submission: one anomaly score per test lumisection (higher = more anomalous)
 * against hidden labels (1 = bad = positive). Exact, ties handled as one threshold step, one sort shared by
 * all metrics. Metrics that are undefined for the labels (a class absent) are NaN. See docs/metrics.md.
 */
import { checkRate, rankByScore, type Labels, type RankedScores, type Scores } from "./ranking";
import { rocAuc, recallAtFpr } from "./roc";
import { averagePrecision } from "./precision-recall";
import { greyZone, type GreyZone } from "./grey-zone";

export interface MetricSettings {
  /** Grey zone: largest allowed fraction of bad lumisections among those certified GOOD automatically. */
  alpha: number;
  /** Grey zone: largest allowed fraction of all good lumisections flagged BAD automatically. */
  beta: number;
  /** False-positive rates at which recall is reported. */
  fprTargets: number[];
}

export const DEFAULT_METRIC_SETTINGS: Readonly<MetricSettings> = Object.freeze({
  alpha: 0.01,
  beta: 0.01,
  fprTargets: [1e-2, 1e-3],
});

export interface Metrics {
  /** Primary leaderboard metric. */
  rocAuc: number;
  averagePrecision: number;
  greyZone: GreyZone;
  /** Keyed by String(target): "0.01", "0.001". */
  recallAtFpr: Record<string, number>;
  n: number;
  nBad: number;
}

/** Fills in defaults and checks every rate is in [0, 1]. */
export function resolveSettings(settings: Partial<MetricSettings> = {}): MetricSettings {
  const resolved: MetricSettings = {
    alpha: settings.alpha ?? DEFAULT_METRIC_SETTINGS.alpha,
    beta: settings.beta ?? DEFAULT_METRIC_SETTINGS.beta,
    fprTargets: settings.fprTargets ?? [...DEFAULT_METRIC_SETTINGS.fprTargets],
  };
  checkRate("alpha", resolved.alpha);
  checkRate("beta", resolved.beta);
  for (const t of resolved.fprTargets) checkRate("fprTargets entry", t);
  return resolved;
}

/** All metrics from an existing ranking, so curves can reuse the same sort. */
export function scoreRanked(r: RankedScores, settings: Partial<MetricSettings> = {}): Metrics {
  const s = resolveSettings(settings);
  const recall: Record<string, number> = {};
  for (const t of s.fprTargets) recall[String(t)] = recallAtFpr(r, t);
  return {
    rocAuc: rocAuc(r),
    averagePrecision: averagePrecision(r),
    greyZone: greyZone(r, s.alpha, s.beta),
    recallAtFpr: recall,
    n: r.n,
    nBad: r.nBad,
  };
}

/** Validates, sorts once and computes every metric: O(n log n). */
export function scoreAll(scores: Scores, labels: Labels, settings: Partial<MetricSettings> = {}): Metrics {
  const s = resolveSettings(settings);
  return scoreRanked(rankByScore(scores, labels), s);
}
