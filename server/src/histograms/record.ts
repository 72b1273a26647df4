import type * as api from "@dqm-playground/api-types";
/**
 * One monitor element's histogram for one lumisection, as every ingest format is turned into
 * before it is stored. Bin contents are split into the interior bins (what DIALS serves and what
 * models train on) and the border bins (under/overflow), which the legacy CSV carries and which are
 * kept in storage so that `include_flow=true` can give them back.
 */

export type Dimension = 1 | 2;

/** Binning of a monitor element: the same for every lumisection of a data set (1D: ymin 0, ymax 1, ybins 1, as in the legacy CSV). */
export type Binning = api.Binning;

/** ROOT histogram class codes of the legacy CSV's `metype` column. */
export const METYPE_NAMES: Readonly<Record<number, string>> = {
  3: "TH1F",
  4: "TH1S",
  5: "TH1D",
  6: "TH2F",
  7: "TH2S",
  8: "TH2D",
};

export function dimensionOfMetype(metype: number): Dimension | undefined {
  if (metype >= 3 && metype <= 5) return 1;
  if (metype >= 6 && metype <= 8) return 2;
  return undefined;
}

export interface HistogramRecord {
  run: number;
  lumisection: number;
  /** Monitor element name: the full DQM path where the source has it, else the legacy short name. */
  me: string;
  /** ROOT class name (TH1F, TH2D, ...) when the source says it. */
  kind?: string;
  binning: Binning;
  entries: number;
  /** Interior bins, row-major for 2D (`data[y * xbins + x]`), length xbins * ybins. */
  data: Float32Array;
  /** Border bins in the order given by `splitFlow`, or null when the source had none (DIALS). */
  flow: Float32Array | null;
  /**
   * Where the record came from, for error messages. `row` is set (and `line` holds the same number)
   * for sources without useful lines (JSON arrays, Parquet): messages then say "row N", not "line N".
   */
  source: { file: string; line: number; row?: number };
}

/** Number of interior bins. */
export function interiorSize(b: Binning): number {
  return b.dim === 1 ? b.xbins : b.xbins * b.ybins;
}

/** Number of bins including under/overflow, as in the legacy `histo` column. */
export function fullSize(b: Binning): number {
  return b.dim === 1 ? b.xbins + 2 : (b.xbins + 2) * (b.ybins + 2);
}

/** Number of border (under/overflow) bins. */
export function flowSize(b: Binning): number {
  return fullSize(b) - interiorSize(b);
}

/**
 * Splits a full histogram (with under/overflow; 2D row-major over (ybins+2) x (xbins+2)) into
 * interior and border bins. Border bins keep their row-major order.
 */
export function splitFlow(full: ArrayLike<number>, b: Binning): { data: Float32Array; flow: Float32Array } {
  const data = new Float32Array(interiorSize(b));
  const flow = new Float32Array(flowSize(b));
  if (b.dim === 1) {
    flow[0] = full[0];
    for (let i = 0; i < b.xbins; i++) data[i] = full[i + 1];
    flow[1] = full[b.xbins + 1];
    return { data, flow };
  }
  const width = b.xbins + 2;
  let d = 0;
  let f = 0;
  for (let y = 0; y < b.ybins + 2; y++) {
    for (let x = 0; x < width; x++) {
      const v = full[y * width + x];
      if (y === 0 || y === b.ybins + 1 || x === 0 || x === b.xbins + 1) flow[f++] = v;
      else data[d++] = v;
    }
  }
  return { data, flow };
}

/** Inverse of `splitFlow`: writes the full histogram into `out` (length `fullSize(b)`). */
export function joinFlow(
  data: ArrayLike<number>,
  flow: ArrayLike<number>,
  b: Binning,
  out: Float32Array,
): Float32Array {
  if (b.dim === 1) {
    out[0] = flow[0];
    for (let i = 0; i < b.xbins; i++) out[i + 1] = data[i];
    out[b.xbins + 1] = flow[1];
    return out;
  }
  const width = b.xbins + 2;
  let d = 0;
  let f = 0;
  for (let y = 0; y < b.ybins + 2; y++) {
    for (let x = 0; x < width; x++) {
      const border = y === 0 || y === b.ybins + 1 || x === 0 || x === b.xbins + 1;
      out[y * width + x] = border ? flow[f++] : data[d++];
    }
  }
  return out;
}

export function sameBinning(a: Binning, b: Binning): boolean {
  return (
    a.dim === b.dim &&
    a.xbins === b.xbins &&
    a.ybins === b.ybins &&
    a.xmin === b.xmin &&
    a.xmax === b.xmax &&
    a.ymin === b.ymin &&
    a.ymax === b.ymax
  );
}

export function describeBinning(b: Binning): string {
  return b.dim === 1
    ? `1D ${b.xbins} bins [${b.xmin}, ${b.xmax}]`
    : `2D ${b.xbins}x${b.ybins} bins [${b.xmin}, ${b.xmax}]x[${b.ymin}, ${b.ymax}]`;
}
