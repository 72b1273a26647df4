/**
 * Local evaluation on labelled data (e.g. a held-out part of the train split) with the service's own
 * scoring code (@dqm-playground/scoring), so a local number predicts the leaderboard's. Scores: higher =
 * more anomalous; labels: 1 = bad (the positive class), 0 = good.
 */
import {
  averagePrecision as averagePrecisionRanked,
  DEFAULT_METRIC_SETTINGS,
  greyZone as greyZoneRanked,
  rankByScore,
  recallAtFpr as recallAtFprRanked,
  rocAuc as rocAucRanked,
  scoreAll,
  type GreyZone,
  type Labels,
  type Metrics,
  type MetricSettings,
  type Scores,
} from "@dqm-playground/scoring";
import { precisionRecallRanked, rocCurveRanked, type PrecisionRecallCurve, type RocCurve } from "./curves";
import { greyZoneCurveRanked, type GreyZoneCurve } from "./grey-zone";

export type { Metrics, MetricSettings } from "@dqm-playground/scoring";

/** alpha = beta = 0.01, FPR targets 0.01 and 0.001: the service's defaults. */
export const DEFAULT_SETTINGS: Readonly<MetricSettings> = DEFAULT_METRIC_SETTINGS;

export function rocAuc(scores: Scores, labels: Labels): number {
  return rocAucRanked(rankByScore(scores, labels));
}

export function rocCurve(scores: Scores, labels: Labels): RocCurve {
  return rocCurveRanked(rankByScore(scores, labels));
}

export function averagePrecision(scores: Scores, labels: Labels): number {
  return averagePrecisionRanked(rankByScore(scores, labels));
}

export function precisionRecall(scores: Scores, labels: Labels): PrecisionRecallCurve {
  return precisionRecallRanked(rankByScore(scores, labels));
}

export function recallAtFpr(scores: Scores, labels: Labels, target: number): number {
  return recallAtFprRanked(rankByScore(scores, labels), target);
}

export function greyZone(
  scores: Scores,
  labels: Labels,
  opts: { alpha?: number; beta?: number } = {},
): GreyZone {
  return greyZoneRanked(
    rankByScore(scores, labels),
    opts.alpha ?? DEFAULT_SETTINGS.alpha,
    opts.beta ?? DEFAULT_SETTINGS.beta,
  );
}

export function greyZoneCurve(scores: Scores, labels: Labels, opts: { beta?: number } = {}): GreyZoneCurve {
  return greyZoneCurveRanked(rankByScore(scores, labels), opts.beta ?? DEFAULT_SETTINGS.beta);
}

/** Every leaderboard metric from one sort, as the service computes them. */
export function metrics(scores: Scores, labels: Labels, settings: Partial<MetricSettings> = {}): Metrics {
  return scoreAll(scores, labels, settings);
}
