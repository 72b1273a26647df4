/**
 * Local evaluation on labelled data (e.g. a held-out part of the train split), with exactly the
 * service's metric definitions, so a local number predicts the leaderboard's. Scores: higher = more
 * anomalous; labels: 1 = bad (the positive class), 0 = good.
 */
import { rankByScore, checkRate, type LabelArray, type ScoreArray } from "./ranking";
import {
  averagePrecisionRanked,
  precisionRecallRanked,
  recallAtFprRanked,
  rocAucRanked,
  rocCurveRanked,
  type PrecisionRecallCurve,
  type RocCurve,
} from "./curves";
import { greyZoneCurveRanked, greyZoneRanked, type GreyZone, type GreyZoneCurve } from "./grey-zone";

export interface MetricSettings {
  alpha: number;
  beta: number;
  fprTargets: number[];
}

export const DEFAULT_SETTINGS: Readonly<MetricSettings> = Object.freeze({
  alpha: 0.01,
  beta: 0.01,
  fprTargets: [0.01, 0.001],
});

/** The same fields as the service's public and private metrics of a submission. */
export interface Metrics {
  rocAuc: number;
  averagePrecision: number;
  greyZone: GreyZone;
  /** Keyed by String(target): "0.01", "0.001". */
  recallAtFpr: Record<string, number>;
  n: number;
  nBad: number;
}

export function rocAuc(scores: ScoreArray, labels: LabelArray): number {
  return rocAucRanked(rankByScore(scores, labels));
}

export function rocCurve(scores: ScoreArray, labels: LabelArray): RocCurve {
  return rocCurveRanked(rankByScore(scores, labels));
}

export function averagePrecision(scores: ScoreArray, labels: LabelArray): number {
  return averagePrecisionRanked(rankByScore(scores, labels));
}

export function precisionRecall(scores: ScoreArray, labels: LabelArray): PrecisionRecallCurve {
  return precisionRecallRanked(rankByScore(scores, labels));
}

export function recallAtFpr(scores: ScoreArray, labels: LabelArray, target: number): number {
  return recallAtFprRanked(rankByScore(scores, labels), target);
}

export function greyZone(
  scores: ScoreArray,
  labels: LabelArray,
  opts: { alpha?: number; beta?: number } = {},
): GreyZone {
  return greyZoneRanked(
    rankByScore(scores, labels),
    opts.alpha ?? DEFAULT_SETTINGS.alpha,
    opts.beta ?? DEFAULT_SETTINGS.beta,
  );
}

export function greyZoneCurve(
  scores: ScoreArray,
  labels: LabelArray,
  opts: { beta?: number } = {},
): GreyZoneCurve {
  return greyZoneCurveRanked(rankByScore(scores, labels), opts.beta ?? DEFAULT_SETTINGS.beta);
}

/** Every leaderboard metric from one sort. */
export function metrics(
  scores: ScoreArray,
  labels: LabelArray,
  settings: Partial<MetricSettings> = {},
): Metrics {
  const s: MetricSettings = {
    alpha: settings.alpha ?? DEFAULT_SETTINGS.alpha,
    beta: settings.beta ?? DEFAULT_SETTINGS.beta,
    fprTargets: settings.fprTargets ?? [...DEFAULT_SETTINGS.fprTargets],
  };
  s.fprTargets.forEach((t) => checkRate("FPR target", t));
  const r = rankByScore(scores, labels);
  const recall: Record<string, number> = {};
  for (const t of s.fprTargets) recall[String(t)] = recallAtFprRanked(r, t);
  return {
    rocAuc: rocAucRanked(r),
    averagePrecision: averagePrecisionRanked(r),
    greyZone: greyZoneRanked(r, s.alpha, s.beta),
    recallAtFpr: recall,
    n: r.n,
    nBad: r.nBad,
  };
}
