import type { HistogramSet } from "../src/api/histogram-table";
import { cells2d, heatmapCells, xEdges, yEdges } from "../src/charts/geometry";
import { histogramRow, meanNormalised, normalise, rowIndex } from "../src/models/histograms";

const binning = { dim: 1 as const, xmin: 0, xmax: 2, xbins: 2, ymin: 0, ymax: 1, ybins: 1 };

function set(rows: number[][], lumisections: number[]): HistogramSet {
  return {
    dataset: "d",
    me: "m",
    run: 1,
    binning,
    lumisections: Int32Array.from(lumisections),
    entries: Float64Array.from(rows.map((r) => r.reduce((a, b) => a + b, 0))),
    values: Float32Array.from(rows.flat()),
    width: 2,
  };
}

describe("histogram numbers", () => {
  const s = set(
    [
      [1, 3],
      [0, 0],
      [2, 2],
    ],
    [5, 6, 7],
  );

  it("finds rows by lumisection and views them without copying", () => {
    expect(rowIndex(s, 7)).toBe(2);
    expect(rowIndex(s, 9)).toBe(-1);
    const row = histogramRow(s, 2);
    expect(Array.from(row)).toEqual([2, 2]);
    expect(row.buffer).toBe(s.values.buffer);
  });

  it("normalises to unit sum and leaves empty histograms at zero", () => {
    expect(Array.from(normalise([1, 3]))).toEqual([0.25, 0.75]);
    expect(Array.from(normalise([0, 0]))).toEqual([0, 0]);
  });

  it("averages the normalised histograms with content, or those chosen", () => {
    expect(meanNormalised(s)).toEqual({ mean: Float64Array.from([0.375, 0.625]), count: 2 });
    expect(meanNormalised(s, (ls) => ls === 7)).toEqual({ mean: Float64Array.from([0.5, 0.5]), count: 1 });
    expect(meanNormalised(s, (ls) => ls === 6)).toBeNull();
  });

  it("makes heatmap cells of non-empty bins, each row normalised", () => {
    expect(heatmapCells(s)).toEqual([
      { ls: 5, bin: 0, value: 0.25 },
      { ls: 5, bin: 1, value: 0.75 },
      { ls: 7, bin: 0, value: 0.5 },
      { ls: 7, bin: 1, value: 0.5 },
    ]);
  });

  it("computes bin edges and 2D cells", () => {
    expect(Array.from(xEdges(binning))).toEqual([0, 1, 2]);
    const b2 = { dim: 2 as const, xmin: 0, xmax: 2, xbins: 2, ymin: -1, ymax: 1, ybins: 2 };
    expect(Array.from(yEdges(b2))).toEqual([-1, 0, 1]);
    expect(cells2d(b2, [1, 2, 3, 4])).toEqual([
      { x: 0, x2: 1, y: -1, y2: 0, value: 1 },
      { x: 1, x2: 2, y: -1, y2: 0, value: 2 },
      { x: 0, x2: 1, y: 0, y2: 1, value: 3 },
      { x: 1, x2: 2, y: 0, y2: 1, value: 4 },
    ]);
  });
});
