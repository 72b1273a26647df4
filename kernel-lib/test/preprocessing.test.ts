import {
  dropFlowBins,
  holdout,
  MinMaxScaler,
  normalizeRows,
  selectRows,
  splitByRun,
  binCentres,
} from "../src/index";
import { bins1d, splitTable } from "./helpers/tables";

describe("preprocessing", () => {
  test("normalizeRows: L1 and max per column range, zeros stay zero", () => {
    const v = Float32Array.from([1, 1, 2, -4, 0, 0, 0, 0]);
    normalizeRows(v, 2, 4, "l1", [
      { offset: 0, width: 2 },
      { offset: 2, width: 2 },
    ]);
    expect(Array.from(v)).toEqual([0.5, 0.5, 2 / 6, -4 / 6].map(Math.fround).concat([0, 0, 0, 0]));
    const w = Float32Array.from([1, 4, 2, 8]);
    normalizeRows(w, 1, 4, "max");
    expect(Array.from(w)).toEqual([0.125, 0.5, 0.25, 1]);
    expect(normalizeRows(w, 1, 4, "none")).toBe(w);
  });

  test("dropFlowBins: 1D and 2D borders", () => {
    expect(Array.from(dropFlowBins(Float32Array.from([9, 1, 2, 9, 8, 3, 4, 8]), 2, bins1d(2)))).toEqual([
      1, 2, 3, 4,
    ]);
    const b = { dim: 2 as const, xmin: 0, xmax: 1, xbins: 1, ymin: 0, ymax: 2, ybins: 2 };
    // 4 rows x 3 columns; interior (1,1) and (2,1)
    expect(Array.from(dropFlowBins(Float32Array.from([0, 0, 0, 0, 5, 0, 0, 6, 0, 0, 0, 0]), 1, b))).toEqual([
      5, 6,
    ]);
    expect(() => dropFlowBins(new Float32Array(5), 2, bins1d(2))).toThrow(
      "expected 2 rows of 4 bins with under/overflow, got 5 values",
    );
    expect(Array.from(binCentres({ xmin: 0, xmax: 10, xbins: 2 }))).toEqual([2.5, 7.5]);
  });

  test("selectRows: labels, entries, candidates", () => {
    const labels = [0, 1, 0, 0];
    expect(Array.from(selectRows(4, { labels, select: "good" }))).toEqual([0, 2, 3]);
    expect(Array.from(selectRows(4, { labels, select: "bad" }))).toEqual([1]);
    expect(
      Array.from(
        selectRows(4, {
          entries: [
            [5, 20, 30, 1],
            [50, 50, 0, 50],
          ],
          minEntries: 10,
        }),
      ),
    ).toEqual([1]);
    expect(Array.from(selectRows(4, { rows: [3, 0], labels, select: "good" }))).toEqual([3, 0]);
    expect(() => selectRows(4, { rows: [4] })).toThrow("row 4 is outside 0..3");
  });

  test("splitByRun keeps runs whole and is seeded", () => {
    const runs = [1, 1, 1, 2, 2, 3, 3, 3, 3, 4];
    const a = splitByRun(runs, 0.3, 5);
    const b = splitByRun(runs, 0.3, 5);
    expect(a).toEqual(b);
    expect(a.fit.length + a.holdout.length).toBe(10);
    expect(a.holdout.length).toBeGreaterThanOrEqual(3);
    for (const r of a.holdoutRuns) {
      expect(Array.from(a.fit).some((i) => runs[i] === r)).toBe(false);
    }
    expect(() => splitByRun(runs, 1)).toThrow("fraction must be in (0, 1), got 1");
    const t = splitTable({
      runs,
      lumisections: runs.map((_, i) => i),
      mes: [{ name: "m", binning: bins1d(1), flow: false, rows: runs.map(() => [1]) }],
    });
    expect(holdout(t, { fraction: 0.3, seed: 5 })).toEqual(a);
  });

  test("MinMaxScaler: fitted on train, applied unchanged to test", () => {
    const train = { values: Float32Array.from([0, 10, 5, 2, 10, 20, 5, 4]), shape: [2, 4] as const };
    const s = MinMaxScaler.fit(train);
    expect(Array.from(s.min)).toEqual([0, 10, 5, 2]);
    expect(Array.from(s.max)).toEqual([10, 20, 5, 4]);
    expect(Array.from(s.transform(train).values)).toEqual([0, 0, 0, 0, 1, 1, 0, 1]);
    const test = { values: Float32Array.from([5, 30, 7, 3]), shape: [1, 4] as const };
    expect(Array.from(s.transform(test).values)).toEqual([0.5, 2, 0, 0.5]); // constant column -> lo
    const clipped = MinMaxScaler.fit(train, { range: [-1, 1], clip: true });
    expect(Array.from(clipped.transform(test).values)).toEqual([0, 1, -1, 0]);
    const again = MinMaxScaler.fromJSON(JSON.parse(JSON.stringify(clipped)));
    expect(Array.from(again.transform(test).values)).toEqual([0, 1, -1, 0]);
    expect(() => s.transform({ values: new Float32Array(3), shape: [1, 3] })).toThrow(
      "the scaler was fitted on 4 columns, this matrix has 3",
    );
    expect(() => MinMaxScaler.fit({ values: new Float32Array(0), shape: [0, 4] })).toThrow(
      "cannot fit a scaler on an empty matrix",
    );
  });
});
