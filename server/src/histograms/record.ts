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

/**
 * Binning and flow arithmetic: the wire contract's one copy (api-types/src/wire/binning.ts), which the
 * kernel library and the extension use too.
 */
export {
  describeBinning,
  flowSize,
  fullSize,
  interiorSize,
  joinFlow,
  sameBinning,
  splitFlow,
} from "@dqm-playground/api-types/wire";
