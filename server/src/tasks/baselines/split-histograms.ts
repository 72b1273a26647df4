/**
 * What the statistical baselines share: a split file's feature columns as unit-area histograms in
 * one contiguous Float64Array per monitor element, its rows grouped by run, and the chi-square
 * distance between two unit-area histograms.
 */
import type { Table } from "apache-arrow";

/** Rows of one feature column, each normalised to unit area (an empty histogram stays all zero). */
export interface UnitHistograms {
  values: Float64Array;
  width: number;
  rows: number;
}

export function unitHistograms(table: Table, name: string): UnitHistograms {
  const column = table.getChild(name);
  if (!column) throw new Error(`split lacks feature column ${name}`);
  const width = (column.type as { listSize: number }).listSize;
  const values = new Float64Array(table.numRows * width);
  let at = 0;
  for (const d of column.data) {
    const chunk = d.children[0].values as Float32Array;
    for (let i = 0; i < d.length * width; i++) values[at + i] = chunk[i];
    at += d.length * width;
  }
  for (let r = 0; r < table.numRows; r++) normaliseInPlace(values.subarray(r * width, (r + 1) * width));
  return { values, width, rows: table.numRows };
}

export function normaliseInPlace(h: Float64Array): void {
  let sum = 0;
  for (let j = 0; j < h.length; j++) sum += h[j];
  if (sum > 0) for (let j = 0; j < h.length; j++) h[j] /= sum;
}

export function row(h: UnitHistograms, i: number): Float64Array {
  return h.values.subarray(i * h.width, (i + 1) * h.width);
}

/** Symmetric chi-square distance of two unit-area histograms: sum (p - q)^2 / (p + q). */
export function chiSquare(p: Float64Array, q: Float64Array): number {
  let chi2 = 0;
  for (let j = 0; j < p.length; j++) {
    const d = p[j] - q[j];
    const s = p[j] + q[j];
    if (s > 0) chi2 += (d * d) / s;
  }
  return chi2;
}

/** Row indices of each run, runs ascending. */
export function rowsByRun(runs: Int32Array): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < runs.length; i++) {
    const list = out.get(runs[i]);
    if (list) list.push(i);
    else out.set(runs[i], [i]);
  }
  return new Map([...out].sort((a, b) => a[0] - b[0]));
}

/** Unit-area mean of the given rows. */
export function meanOf(h: UnitHistograms, rows: readonly number[]): Float64Array {
  const mean = new Float64Array(h.width);
  for (const i of rows) {
    const r = row(h, i);
    for (let j = 0; j < h.width; j++) mean[j] += r[j];
  }
  normaliseInPlace(mean);
  return mean;
}

/** Unit-area bin-by-bin median of the given rows. */
export function medianOf(h: UnitHistograms, rows: readonly number[]): Float64Array {
  const median = new Float64Array(h.width);
  const column = new Float64Array(rows.length);
  for (let j = 0; j < h.width; j++) {
    for (let k = 0; k < rows.length; k++) column[k] = h.values[rows[k] * h.width + j];
    column.sort();
    const m = column.length >> 1;
    median[j] = column.length % 2 === 1 ? column[m] : 0.5 * (column[m - 1] + column[m]);
  }
  normaliseInPlace(median);
  return median;
}

/** Mean unit-area histogram of each train run's good lumisections, runs ascending. */
export function goodTrainRunMeans(train: Table, h: UnitHistograms): Map<number, Float64Array> {
  const runs = train.getChild("run")!.toArray() as Int32Array;
  const labels = train.getChild("label")!.toArray() as ArrayLike<number>;
  const out = new Map<number, Float64Array>();
  for (const [run, rows] of rowsByRun(runs)) {
    const good = rows.filter((i) => labels[i] === 0);
    if (good.length > 0) out.set(run, meanOf(h, good));
  }
  return out;
}

/** The reference for `run`: the latest of `candidates` (ascending) not after it, else the first. */
export function latestNotAfter(candidates: readonly number[], run: number): number {
  let chosen = candidates[0];
  for (const c of candidates) if (c <= run) chosen = c;
  return chosen;
}

/** The candidate closest to `run` (run numbers grow with time); ties go to the earlier one. */
export function nearest(candidates: readonly number[], run: number): number {
  let chosen = candidates[0];
  for (const c of candidates) if (Math.abs(c - run) < Math.abs(chosen - run)) chosen = c;
  return chosen;
}

/** Median of the values (0 for none). */
export function median(values: Float64Array): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const m = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[m] : 0.5 * (sorted[m - 1] + sorted[m]);
}

/** What a distance baseline sees of one monitor element. */
export interface FeatureView {
  train: UnitHistograms;
  test: UnitHistograms;
  /** Row indices of each run. */
  trainByRun: Map<number, number[]>;
  testByRun: Map<number, number[]>;
  /** 1 = bad, 0 = good, per train row. */
  trainLabels: ArrayLike<number>;
}

/**
 * Sums over monitor elements each test lumisection's distance divided by the median distance of the
 * good train lumisections of the same element, so that no element outweighs the others by its
 * statistics alone. `distances` gives, for one element, the distances of good train lumisections
 * (measured as the test ones are) and of every test lumisection.
 */
export function sumOfScaledDistances(
  train: Table,
  test: Table,
  features: readonly string[],
  distances: (view: FeatureView) => { goodTrain: Float64Array; test: Float64Array },
): Float64Array {
  const trainByRun = rowsByRun(train.getChild("run")!.toArray() as Int32Array);
  const testByRun = rowsByRun(test.getChild("run")!.toArray() as Int32Array);
  const trainLabels = train.getChild("label")!.toArray() as ArrayLike<number>;
  const scores = new Float64Array(test.numRows);
  for (const name of features) {
    const d = distances({
      train: unitHistograms(train, name),
      test: unitHistograms(test, name),
      trainByRun,
      testByRun,
      trainLabels,
    });
    const scale = median(d.goodTrain) || 1;
    for (let i = 0; i < scores.length; i++) scores[i] += d.test[i] / scale;
  }
  return scores;
}
