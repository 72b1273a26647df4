/**
 * Drift-robust features, as a DQM shifter compares histograms: each lumisection relative to its own
 * run. Slow drift (radiation damage, calibrations that change from run to run) moves a whole run
 * together, so a model that learns the year's mean shape mistakes drift for anomalies. Here each
 * lumisection's histograms become (1) their difference to the bin-by-bin median of the lumisection's
 * own run, which a few bad lumisections do not move, (2) the difference of that run median to a
 * reference (the mean good histogram of the latest reference run before it), so that a run bad from
 * start to end still stands out, and (3) per monitor element, the log of its entries per recorded
 * luminosity relative to the run's median (the hit rate: lost readout, trigger problems).
 * Every part is a block of the result (`blocks`), so that a `BlockScaler` can give each the same weight.
 */
import type { Table } from "apache-arrow";
import { features, type FeatureOptions } from "./features";
import { FeatureMatrix, type FeatureBlock } from "./matrix";
import { lumisectionColumns } from "./arrow";

/** Reference histograms by run (each as `features` gives the row), e.g. from `runReferences`. */
export type RunReferences = ReadonlyMap<number, Float32Array>;

export interface RunRelativeOptions extends FeatureOptions {
  /** Reference histogram of each reference run (all monitor elements side by side). */
  references: RunReferences;
  /** Never compare a run with itself (for train runs that are their own reference); default false. */
  excludeOwnRun?: boolean;
  /** Add the relative hit rate, where the table has `recorded_lumi` and entries; default true. */
  rate?: boolean;
}

/** The mean good histogram of each run of a labelled table: the references of `runRelative`. */
export function runReferences(
  table: Table,
  opts: Pick<FeatureOptions, "me" | "drop" | "normalize"> = {},
): Map<number, Float32Array> {
  const x = features(table, { ...opts, select: "good" });
  if (x.rows === 0) throw new Error("runReferences: the table has no good lumisection");
  const sums = new Map<number, { sum: Float64Array; n: number }>();
  for (let i = 0; i < x.rows; i++) {
    const run = x.index.runs[i];
    let s = sums.get(run);
    if (!s) sums.set(run, (s = { sum: new Float64Array(x.cols), n: 0 }));
    const r = x.row(i);
    for (let j = 0; j < x.cols; j++) s.sum[j] += r[j];
    s.n++;
  }
  const out = new Map<number, Float32Array>();
  for (const run of [...sums.keys()].sort((a, b) => a - b)) {
    const s = sums.get(run)!;
    out.set(
      run,
      Float32Array.from(s.sum, (v) => v / s.n),
    );
  }
  return out;
}

function median(values: Float64Array): number {
  values.sort();
  const m = values.length >> 1;
  return values.length % 2 === 1 ? values[m] : 0.5 * (values[m - 1] + values[m]);
}

/** Table rows of each run. */
function rowsByRun(runs: Int32Array): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < runs.length; i++) {
    const list = out.get(runs[i]);
    if (list) list.push(i);
    else out.set(runs[i], [i]);
  }
  return out;
}

/**
 * Run-relative features of `table` (see the module comment): the rows `opts` selects (as `features`
 * does), the run medians and hit rates from every row of the table. Columns: the differences to the
 * run median (one block per monitor element), the run median's differences to the reference, then
 * one hit-rate column per monitor element (a block of width 1 each, named "<me> hit rate").
 */
export function runRelative(table: Table, opts: RunRelativeOptions): FeatureMatrix {
  const { references, excludeOwnRun = false, rate = true, rows, select, minEntries, ...shape } = opts;
  const refRuns = [...references.keys()].sort((a, b) => a - b);
  if (refRuns.length === 0) throw new Error("runRelative: no reference histogram");
  const all = features(table, shape);
  const w = all.cols;
  const byRun = rowsByRun(lumisectionColumns(table).runs);
  const medians = new Map<number, Float32Array>();
  const column = new Float64Array(table.numRows);
  for (const [run, list] of byRun) {
    const med = new Float32Array(w);
    const col = column.subarray(0, list.length);
    for (let j = 0; j < w; j++) {
      list.forEach((i, k) => (col[k] = all.values[i * w + j]));
      med[j] = median(col);
    }
    medians.set(run, med);
  }
  const reference = (run: number): Float32Array => {
    const candidates = excludeOwnRun ? refRuns.filter((r) => r !== run) : refRuns;
    if (candidates.length === 0) throw new Error(`runRelative: no reference run for run ${run}`);
    let chosen = candidates[0];
    for (const c of candidates) if (c <= run) chosen = c;
    const ref = references.get(chosen)!;
    if (ref.length !== w) throw new Error(`runRelative: references have ${ref.length} bins, features ${w}`);
    return ref;
  };
  const rates = rate ? hitRates(table, all.blocks, byRun) : [];

  const x = features(table, { ...shape, rows, select, minEntries });
  const tableRows = x.index.tableRows;
  const cols = 2 * w + rates.length;
  const out = new Float32Array(x.rows * cols);
  for (let i = 0; i < x.rows; i++) {
    const run = x.index.runs[i];
    const med = medians.get(run)!;
    const ref = reference(run);
    const r = x.row(i);
    const o = i * cols;
    for (let j = 0; j < w; j++) {
      out[o + j] = r[j] - med[j];
      out[o + w + j] = med[j] - ref[j];
    }
    const t = tableRows ? tableRows[i] : i;
    rates.forEach((h, k) => (out[o + 2 * w + k] = h[t]));
  }
  const blocks: FeatureBlock[] = [
    ...all.blocks.map((b) => ({ ...b, me: `${b.me} - run median` })),
    ...all.blocks.map((b) => ({ ...b, me: `${b.me} run median - reference`, offset: b.offset + w })),
    ...rates.map((_, k) => ({
      me: `${all.blocks[k].me} hit rate`,
      offset: 2 * w + k,
      width: 1,
      binning: RATE_BINNING,
      flow: false,
    })),
  ];
  return new FeatureMatrix(out, x.rows, cols, blocks, x.index);
}

/** The "binning" of a hit-rate column: one value. */
const RATE_BINNING: FeatureBlock["binning"] = {
  dim: 1,
  xmin: 0,
  xmax: 1,
  xbins: 1,
  ymin: 0,
  ymax: 1,
  ybins: 1,
};

/** Per monitor element, per table row: log(entries / recorded luminosity) minus its run median. */
function hitRates(
  table: Table,
  blocks: readonly FeatureBlock[],
  byRun: Map<number, number[]>,
): Float32Array[] {
  const lumiColumn = table.getChild("recorded_lumi");
  if (!lumiColumn) return [];
  const lumi = lumiColumn.toArray() as ArrayLike<number>;
  const out: Float32Array[] = [];
  for (const b of blocks) {
    const entriesColumn = table.getChild(`${b.me}:entries`);
    if (!entriesColumn) return [];
    const entries = entriesColumn.toArray() as ArrayLike<number>;
    const raw = Float64Array.from({ length: table.numRows }, (_, i) =>
      Math.max(-20, Math.min(20, Math.log((Number(entries[i]) + 1) / (Math.max(Number(lumi[i]), 0) + 1e-3)))),
    );
    const h = new Float32Array(table.numRows);
    for (const list of byRun.values()) {
      const m = median(Float64Array.from(list, (i) => raw[i]));
      for (const i of list) h[i] = raw[i] - m;
    }
    out.push(h);
  }
  return out;
}
