/** Score distributions of good and bad lumisections, binned for plotting. */
import type { LabelArray, ScoreArray } from "./ranking";

export interface ScoreSeries {
  /** "good", "bad" or "all". */
  name: string;
  counts: Uint32Array;
  total: number;
}

export interface ScoreDistributions {
  /** bins + 1 edges; in log10(score) when `log`. */
  edges: Float64Array;
  log: boolean;
  series: ScoreSeries[];
}

/**
 * Histograms of the scores with common bins: one series per class when labels are given, else one
 * ("all"). With `log`, bins are in log10(score) and scores <= 0 fall into the first bin.
 */
export function scoreDistributions(
  scores: ScoreArray,
  labels: LabelArray | null = null,
  opts: { bins?: number; log?: boolean } = {},
): ScoreDistributions {
  const bins = opts.bins ?? 50;
  const log = opts.log ?? false;
  if (!(bins >= 1)) throw new RangeError(`bins must be at least 1, got ${bins}`);
  if (labels && labels.length !== scores.length)
    throw new RangeError(`got ${scores.length} scores but ${labels.length} labels`);
  let minPositive = Infinity;
  for (let i = 0; i < scores.length; i++)
    if (scores[i] > 0 && scores[i] < minPositive) minPositive = scores[i];
  const t = (s: number) => (log ? Math.log10(s > 0 ? s : minPositive) : s);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    const v = t(scores[i]);
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  if (hi === lo) [lo, hi] = [lo - 0.5, hi + 0.5];
  const width = (hi - lo) / bins;
  const edges = Float64Array.from({ length: bins + 1 }, (_, k) => lo + k * width);
  const names = labels ? ["good", "bad"] : ["all"];
  const series = names.map((name) => ({ name, counts: new Uint32Array(bins), total: 0 }));
  for (let i = 0; i < scores.length; i++) {
    const v = t(scores[i]);
    const k = v >= hi ? bins - 1 : v <= lo ? 0 : Math.floor((v - lo) / width);
    const s = series[labels ? (labels[i] === 1 ? 1 : 0) : 0];
    s.counts[Math.min(bins - 1, Math.max(0, k))]++;
    s.total++;
  }
  return { edges, log, series };
}
