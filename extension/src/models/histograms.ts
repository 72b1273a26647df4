/** Numbers behind the run view (rows, normalisation, reference means), computed on typed arrays (pure functions). */
import type { HistogramSet } from "../api/histogram-table";

/** Bin contents of row `index` (a view, not a copy). */
export function histogramRow(set: HistogramSet, index: number): Float32Array {
  return set.values.subarray(index * set.width, (index + 1) * set.width);
}

/** The row of lumisection `ls`, or -1. */
export function rowIndex(set: HistogramSet, ls: number): number {
  return set.lumisections.indexOf(ls);
}

/** Scaled to unit sum; an empty histogram stays all zeros. */
export function normalise(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  if (sum > 0) for (let i = 0; i < values.length; i++) out[i] = values[i] / sum;
  return out;
}

/**
 * The mean of the unit-normalised histograms of the rows `include` accepts (default: every row with
 * content), and how many went in; null when none did.
 */
export function meanNormalised(
  set: HistogramSet,
  include: (ls: number, row: number) => boolean = () => true,
): { mean: Float64Array; count: number } | null {
  const mean = new Float64Array(set.width);
  let count = 0;
  for (let r = 0; r < set.lumisections.length; r++) {
    if (!include(set.lumisections[r], r)) continue;
    const row = histogramRow(set, r);
    let sum = 0;
    for (let i = 0; i < row.length; i++) sum += row[i];
    if (!(sum > 0)) continue;
    for (let i = 0; i < row.length; i++) mean[i] += row[i] / sum;
    count++;
  }
  if (count === 0) return null;
  for (let i = 0; i < mean.length; i++) mean[i] /= count;
  return { mean, count };
}
