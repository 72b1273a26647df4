/** Small synthetic histogram records for store and API tests. */
import { splitFlow, type Binning, type HistogramRecord } from "../../src/histograms/record";

export const BINNING_1D: Binning = { dim: 1, xmin: 0, xmax: 10, xbins: 4, ymin: 0, ymax: 1, ybins: 1 };
export const BINNING_2D: Binning = { dim: 2, xmin: 0, xmax: 3, xbins: 3, ymin: 0, ymax: 2, ybins: 2 };

/** A 1D record whose full histogram (with flow) is [ls, run%7, 1, 2, 3, ls%5]: easy to recognise. */
export function record1d(run: number, ls: number, me = "charge", withFlow = true): HistogramRecord {
  const full = [ls % 3, (run % 7) + ls, 1, 2, 3, ls % 5];
  const { data, flow } = splitFlow(full, BINNING_1D);
  return {
    run,
    lumisection: ls,
    me,
    kind: "TH1F",
    binning: BINNING_1D,
    entries: full.reduce((a, b) => a + b, 0),
    data,
    flow: withFlow ? flow : null,
    source: { file: "synthetic.csv", line: ls + 1 },
  };
}

export function record2d(run: number, ls: number, me = "occupancy"): HistogramRecord {
  const full = Array.from({ length: 5 * 4 }, (_, i) => (i * 7 + ls + run) % 11);
  const { data, flow } = splitFlow(full, BINNING_2D);
  return {
    run,
    lumisection: ls,
    me,
    kind: "TH2F",
    binning: BINNING_2D,
    entries: full.reduce((a, b) => a + b, 0),
    data,
    flow,
    source: { file: "synthetic.csv", line: ls + 1 },
  };
}
