/**
 * The float32 feature matrix of a split or histogram table: one or several monitor-element columns
 * side by side, with optional flow-bin dropping, row selection and per-histogram normalisation.
 * With one monitor element, one record batch, every row, nothing to drop and no normalisation, the
 * result is a view on the Arrow buffer; otherwise the bins are copied exactly once.
 */
import type { Table } from "apache-arrow";
import { copyInterior, interiorSize } from "./binning";
import {
  binChunks,
  hasLabels,
  labels,
  lumisectionColumns,
  meColumn,
  monitorElements,
  numericColumn,
  type MeColumn,
} from "./arrow";
import { FeatureMatrix, type FeatureBlock } from "./matrix";
import { normalizeRows, selectRows, type LabelSelection, type Normalization } from "./preprocessing";

export interface FeatureOptions {
  /** Monitor element(s), in column order of the result; default: every one in the table. */
  me?: string | string[];
  /** Drop the under/overflow bins when the table stores them (`include_flow`); default "none". */
  drop?: "none" | "underflow-overflow";
  /** Per-histogram normalisation; default "none". */
  normalize?: Normalization;
  /** Keep rows whose histograms (each selected one) have at least this many entries. */
  minEntries?: number;
  /** Keep only good (label 0) or bad (label 1) rows: needs the train split's labels. */
  select?: LabelSelection;
  /** Keep only these table rows (in this order), before the other filters. */
  rows?: ArrayLike<number>;
}

interface Plan {
  col: MeColumn;
  drop: boolean;
  outWidth: number;
}

function plans(table: Table, opts: FeatureOptions): Plan[] {
  const names = opts.me === undefined ? monitorElements(table) : Array.isArray(opts.me) ? opts.me : [opts.me];
  if (names.length === 0) throw new Error("no monitor element selected: the table has no histogram column");
  const drop = opts.drop ?? "none";
  if (drop !== "none" && drop !== "underflow-overflow")
    throw new Error(`unknown drop '${String(drop)}': use "underflow-overflow" or "none"`);
  return names.map((me) => {
    const col = meColumn(table, me);
    const dropping = drop === "underflow-overflow" && col.flowStored;
    return { col, drop: dropping, outWidth: dropping ? interiorSize(col.binning) : col.width };
  });
}

/** The feature matrix of `table`; see FeatureOptions. */
export function features(table: Table, opts: FeatureOptions = {}): FeatureMatrix {
  const ps = plans(table, opts);
  const n = table.numRows;
  const filtered = opts.rows !== undefined || (opts.select ?? "all") !== "all" || (opts.minEntries ?? 0) > 0;
  const rows = filtered
    ? selectRows(n, {
        rows: opts.rows ?? null,
        select: opts.select,
        labels: (opts.select ?? "all") !== "all" && hasLabels(table) ? labels(table) : null,
        minEntries: opts.minEntries,
        entries: (opts.minEntries ?? 0) > 0 ? ps.map((p) => entriesOf(table, p.col)) : undefined,
      })
    : null;
  const cols = ps.reduce((a, p) => a + p.outWidth, 0);
  const blocks: FeatureBlock[] = [];
  let offset = 0;
  for (const p of ps) {
    blocks.push({
      me: p.col.me,
      offset,
      width: p.outWidth,
      binning: p.col.binning,
      flow: p.col.flowStored && !p.drop,
    });
    offset += p.outWidth;
  }
  const { runs, lumisections } = lumisectionColumns(table);
  const index = rows
    ? { runs: pick(runs, rows), lumisections: pick(lumisections, rows), tableRows: rows }
    : { runs, lumisections, tableRows: null };
  const normalize = opts.normalize ?? "none";

  const chunks = ps.map((p) => binChunks(table, p.col));
  if (!rows && ps.length === 1 && !ps[0].drop && normalize === "none" && chunks[0].length <= 1) {
    const values = chunks[0][0]?.values ?? new Float32Array(0);
    return new FeatureMatrix(values, n, cols, blocks, index, chunks[0].length === 1);
  }

  const outRows = rows ? rows.length : n;
  const out = new Float32Array(outRows * cols);
  ps.forEach((p, k) => copyBlock(chunks[k], p, rows, out, cols, blocks[k].offset));
  normalizeRows(out, outRows, cols, normalize, blocks);
  return new FeatureMatrix(out, outRows, cols, blocks, index, false);
}

function entriesOf(table: Table, col: MeColumn): ArrayLike<number> {
  if (!col.entriesColumn)
    throw new Error(`minEntries needs the entries of '${col.me}', which the table lacks`);
  return numericColumn(table, col.entriesColumn);
}

function pick(values: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]];
  return out;
}

/** Where each table row's bins are: chunk and row within it. */
function locate(chunks: Array<{ length: number }>): { starts: Int32Array } {
  const starts = new Int32Array(chunks.length + 1);
  chunks.forEach((c, i) => (starts[i + 1] = starts[i] + c.length));
  return { starts };
}

/** Copies one monitor element's bins into its columns of `out`: the one copy. */
function copyBlock(
  chunks: Array<{ values: Float32Array; length: number }>,
  p: Plan,
  rows: Int32Array | null,
  out: Float32Array,
  cols: number,
  offset: number,
): void {
  const w = p.col.width;
  const contiguous = !p.drop && cols === w;
  if (!rows) {
    let r = 0;
    for (const c of chunks) {
      if (contiguous) out.set(c.values, r * cols);
      else
        for (let i = 0; i < c.length; i++) {
          const src = c.values.subarray(i * w, (i + 1) * w);
          if (p.drop) copyInterior(src, p.col.binning, out, (r + i) * cols + offset);
          else out.set(src, (r + i) * cols + offset);
        }
      r += c.length;
    }
    return;
  }
  const { starts } = locate(chunks);
  let chunk = 0;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k];
    if (row < starts[chunk] || row >= starts[chunk + 1]) {
      chunk = 0;
      while (row >= starts[chunk + 1]) chunk++;
    }
    const i = row - starts[chunk];
    const src = chunks[chunk].values.subarray(i * w, (i + 1) * w);
    if (p.drop) copyInterior(src, p.col.binning, out, k * cols + offset);
    else out.set(src, k * cols + offset);
  }
}
