/**
 * Grey-zone saved effort of @dqm-playground/scoring (docs/metrics.md); the curve also carries the beta
 * it was computed at, for the plots.
 */
import {
  greyZoneCurve,
  type GreyZoneCurve as ScoringGreyZoneCurve,
  type RankedScores,
} from "@dqm-playground/scoring";

export type { GreyZone } from "@dqm-playground/scoring";

/** savedEffort[k] holds for alpha in [alpha[k], alpha[k+1]), from alpha = 0, at a fixed beta. */
export interface GreyZoneCurve extends ScoringGreyZoneCurve {
  beta: number;
}

export function greyZoneCurveRanked(r: RankedScores, beta: number): GreyZoneCurve {
  return { ...greyZoneCurve(r, beta), beta };
}
