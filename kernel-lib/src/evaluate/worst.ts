/** The most anomalous lumisections with their histograms, and a reference histogram to compare with. */
import type { FeatureBlock, FeatureMatrix } from "../data/matrix";
import type { LabelArray, ScoreArray } from "./ranking";

export interface WorstLumisection {
  rank: number;
  /** Row in the feature matrix. */
  row: number;
  run: number;
  lumisection: number;
  score: number;
  /** 1 bad, 0 good, null when unknown. */
  label: number | null;
  /** This lumisection's bins of the chosen monitor element (a view). */
  histogram: Float32Array;
  me: string;
  /** The monitor element's columns in the matrix (offset, width, binning). */
  block: FeatureBlock;
}

/** The `n` highest-scoring rows of `x` (scores aligned with its rows), highest first. */
export function worst(
  scores: ScoreArray,
  x: FeatureMatrix,
  opts: { n?: number; me?: string; labels?: LabelArray | null } = {},
): WorstLumisection[] {
  if (scores.length !== x.rows) throw new RangeError(`got ${scores.length} scores for ${x.rows} matrix rows`);
  const n = Math.min(opts.n ?? 5, x.rows);
  const order = Array.from({ length: x.rows }, (_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
  const block = x.block(opts.me);
  return order.slice(0, n).map((row, k) => ({
    rank: k + 1,
    row,
    run: x.index.runs[row],
    lumisection: x.index.lumisections[row],
    score: scores[row],
    label: opts.labels ? opts.labels[row] : null,
    histogram: x.histogram(row, block.me),
    me: block.me,
    block,
  }));
}

/** The mean row of `x` (of the given rows; e.g. the good train lumisections): a reference histogram. */
export function reference(x: FeatureMatrix, rows?: ArrayLike<number>): Float32Array {
  const count = rows ? rows.length : x.rows;
  if (count === 0) throw new Error("no rows to average for the reference");
  const sum = new Float64Array(x.cols);
  for (let k = 0; k < count; k++) {
    const r = x.row(rows ? rows[k] : k);
    for (let c = 0; c < x.cols; c++) sum[c] += r[c];
  }
  return Float32Array.from(sum, (v) => v / count);
}
