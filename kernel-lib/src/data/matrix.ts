/**
 * A float32 feature matrix: `rows x cols` values row-major in one Float32Array (a view on the Arrow
 * buffer when the layout allows), with the run and lumisection of every row and which columns belong
 * to which monitor element.
 */
import { inspect } from "node:util";
import type { Binning } from "./binning";

/** The columns of one monitor element inside a feature matrix. */
export interface FeatureBlock {
  me: string;
  /** First column of the block. */
  offset: number;
  /** Number of columns. */
  width: number;
  /** Binning of the bins in the block (interior binning; see `flow`). */
  binning: Binning;
  /** Whether the block includes the under/overflow bins. */
  flow: boolean;
}

/** Anything with a row-major float32 matrix: a FeatureMatrix, or `{ values, shape }` you build. */
export interface MatrixLike {
  readonly values: Float32Array;
  readonly shape: readonly [number, number];
}

export interface MatrixRows {
  runs: Int32Array;
  lumisections: Int32Array;
  /** Row of the source table of each matrix row; null when every table row is there, in order. */
  tableRows: Int32Array | null;
}

export class FeatureMatrix implements MatrixLike {
  readonly shape: readonly [number, number];

  constructor(
    /** Row-major values, rows * cols. */
    readonly values: Float32Array,
    rows: number,
    cols: number,
    readonly blocks: readonly FeatureBlock[],
    readonly index: MatrixRows,
    /** True when `values` is a view on the Arrow buffer the table was read from (no copy made). */
    readonly isView = false,
  ) {
    if (values.length !== rows * cols)
      throw new RangeError(`a ${rows} x ${cols} matrix needs ${rows * cols} values, got ${values.length}`);
    if (index.runs.length !== rows || index.lumisections.length !== rows)
      throw new RangeError(`got ${index.runs.length} runs for ${rows} rows`);
    this.shape = [rows, cols];
  }

  get rows(): number {
    return this.shape[0];
  }

  get cols(): number {
    return this.shape[1];
  }

  /** Row i as a view. */
  row(i: number): Float32Array {
    if (i < 0 || i >= this.rows) throw new RangeError(`row ${i} is outside 0..${this.rows - 1}`);
    return this.values.subarray(i * this.cols, (i + 1) * this.cols);
  }

  /** The block of one monitor element (the first when none is named). */
  block(me?: string): FeatureBlock {
    const b = me === undefined ? this.blocks[0] : this.blocks.find((x) => x.me === me);
    if (!b)
      throw new Error(
        `no monitor element '${me}' in this matrix; it has ${this.blocks.map((x) => x.me).join(", ")}`,
      );
    return b;
  }

  /** Row i's bins of one monitor element, as a view. */
  histogram(i: number, me?: string): Float32Array {
    const b = this.block(me);
    return this.row(i).subarray(b.offset, b.offset + b.width);
  }

  /** Matrix row of (run, lumisection), or -1. */
  find(run: number, lumisection: number): number {
    const { runs, lumisections } = this.index;
    for (let i = 0; i < runs.length; i++) if (runs[i] === run && lumisections[i] === lumisection) return i;
    return -1;
  }

  /** Same rows and blocks, other values (e.g. scaled). */
  withValues(values: Float32Array): FeatureMatrix {
    return new FeatureMatrix(values, this.rows, this.cols, this.blocks, this.index, false);
  }

  /** A new matrix of the given rows (copied). */
  select(rows: ArrayLike<number>): FeatureMatrix {
    const out = new Float32Array(rows.length * this.cols);
    const runs = new Int32Array(rows.length);
    const lss = new Int32Array(rows.length);
    const tableRows = new Int32Array(rows.length);
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      out.set(this.row(r), k * this.cols);
      runs[k] = this.index.runs[r];
      lss[k] = this.index.lumisections[r];
      tableRows[k] = this.index.tableRows ? this.index.tableRows[r] : r;
    }
    return new FeatureMatrix(
      out,
      rows.length,
      this.cols,
      this.blocks,
      { runs, lumisections: lss, tableRows },
      false,
    );
  }

  toString(): string {
    const mes = this.blocks.map((b) => `${b.me} [${b.width}]`).join(", ");
    return `FeatureMatrix ${this.rows} x ${this.cols}${this.isView ? " (view on the Arrow buffer)" : ""}: ${mes}`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** Checks a matrix-like value and returns its dimensions. */
export function matrixShape(x: MatrixLike): [number, number] {
  const [rows, cols] = x.shape;
  if (x.values.length !== rows * cols)
    throw new RangeError(`a ${rows} x ${cols} matrix needs ${rows * cols} values, got ${x.values.length}`);
  return [rows, cols];
}
