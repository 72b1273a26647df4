/**
 * Preprocessing used by the CMS studies, as pure functions on row-major float32 matrices and label
 * arrays: per-histogram L1 or max normalisation, row selections (good lumisections for
 * semi-supervised training, a minimum number of entries), and a split of labelled rows by run.
 */
import { permutation, seededRandom } from "../models/seeds";

export type Normalization = "none" | "l1" | "max";

/** Column ranges normalised separately (one per monitor element). */
export interface ColumnRange {
  offset: number;
  width: number;
}

/**
 * Normalises every row's block in place: `l1` divides by the sum of absolute values, `max` by the
 * largest absolute value. All-zero blocks stay zero.
 */
export function normalizeRows(
  values: Float32Array,
  rows: number,
  cols: number,
  mode: Normalization,
  ranges: readonly ColumnRange[] = [{ offset: 0, width: cols }],
): Float32Array {
  if (mode === "none") return values;
  if (mode !== "l1" && mode !== "max")
    throw new Error(`unknown normalization '${String(mode)}': use "l1", "max" or "none"`);
  for (let r = 0; r < rows; r++) {
    for (const { offset, width } of ranges) {
      const start = r * cols + offset;
      let norm = 0;
      for (let j = start; j < start + width; j++) {
        const a = Math.abs(values[j]);
        norm = mode === "l1" ? norm + a : Math.max(norm, a);
      }
      if (norm > 0) {
        const inv = 1 / norm;
        for (let j = start; j < start + width; j++) values[j] *= inv;
      }
    }
  }
  return values;
}

/** Which rows to keep by label: all, only good (label 0) or only bad (label 1). */
export type LabelSelection = "all" | "good" | "bad";

/** Indices of the rows passing every given condition, in order. */
export function selectRows(
  n: number,
  opts: {
    labels?: ArrayLike<number> | null;
    select?: LabelSelection;
    /** Each entries array must reach `minEntries` on the row. */
    entries?: ReadonlyArray<ArrayLike<number>>;
    minEntries?: number;
    /** Candidate rows; all rows when absent. */
    rows?: ArrayLike<number> | null;
  },
): Int32Array {
  const select = opts.select ?? "all";
  if (select !== "all" && !opts.labels) throw new Error(`select: "${select}" needs labels (the train split)`);
  const want = select === "bad" ? 1 : 0;
  const min = opts.minEntries ?? 0;
  const out: number[] = [];
  const candidates = opts.rows ?? null;
  const count = candidates ? candidates.length : n;
  for (let k = 0; k < count; k++) {
    const i = candidates ? candidates[k] : k;
    if (i < 0 || i >= n) throw new RangeError(`row ${i} is outside 0..${n - 1}`);
    if (select !== "all" && opts.labels![i] !== want) continue;
    if (min > 0 && opts.entries?.some((e) => !(e[i] >= min))) continue;
    out.push(i);
  }
  return Int32Array.from(out);
}

/** Rows of a labelled table divided by run (a run never in both parts), for local evaluation. */
export interface RunSplit {
  /** Rows for training (e.g. take its good ones). */
  fit: Int32Array;
  /** Rows held out for evaluation with labels. */
  holdout: Int32Array;
  holdoutRuns: number[];
}

/**
 * Shuffles the distinct runs with `seed` and moves whole runs to the held-out part until it holds
 * at least `fraction` of the rows.
 */
export function splitByRun(runs: ArrayLike<number>, fraction: number, seed = 0): RunSplit {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`fraction must be in (0, 1), got ${fraction}`);
  const distinct = [...new Set(Array.from(runs))].sort((a, b) => a - b);
  const order = permutation(distinct.length, seededRandom(seed));
  const counts = new Map<number, number>();
  for (let i = 0; i < runs.length; i++) counts.set(runs[i], (counts.get(runs[i]) ?? 0) + 1);
  const held = new Set<number>();
  let rows = 0;
  for (const k of order) {
    if (rows >= fraction * runs.length) break;
    held.add(distinct[k]);
    rows += counts.get(distinct[k])!;
  }
  const fit: number[] = [];
  const holdout: number[] = [];
  for (let i = 0; i < runs.length; i++) (held.has(runs[i]) ? holdout : fit).push(i);
  return {
    fit: Int32Array.from(fit),
    holdout: Int32Array.from(holdout),
    holdoutRuns: [...held].sort((a, b) => a - b),
  };
}
