import {
  binningWithFlow,
  binningWithoutFlow,
  copyInterior,
  describeBinning,
  flowSize,
  fullSize,
  interiorSize,
  joinFlow,
  rowBinning,
  sameBinning,
  splitFlow,
} from "../src/wire";
import type { Binning } from "../src";

const b1: Binning = { dim: 1, xmin: 0, xmax: 10, xbins: 5, ymin: 0, ymax: 1, ybins: 1 };
const b2: Binning = { dim: 2, xmin: 0, xmax: 3, xbins: 3, ymin: -1, ymax: 1, ybins: 2 };

describe("binning sizes", () => {
  test("1D: interior, with under/overflow, flow", () => {
    expect([interiorSize(b1), fullSize(b1), flowSize(b1)]).toEqual([5, 7, 2]);
  });
  test("2D: a one-bin border around the interior", () => {
    expect([interiorSize(b2), fullSize(b2), flowSize(b2)]).toEqual([6, 20, 14]);
  });
});

describe("splitFlow and joinFlow", () => {
  test("1D: underflow first, overflow last", () => {
    const full = [9, 1, 2, 3, 4, 5, 8];
    const { data, flow } = splitFlow(full, b1);
    expect(Array.from(data)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(flow)).toEqual([9, 8]);
    expect(Array.from(joinFlow(data, flow, b1, new Float32Array(7)))).toEqual(full);
  });

  test("2D: interior row-major, border bins in row-major order, and back", () => {
    // 4 rows of 5: the interior is rows 1-2, columns 1-3
    const full = Array.from({ length: 20 }, (_, i) => i);
    const { data, flow } = splitFlow(full, b2);
    expect(Array.from(data)).toEqual([6, 7, 8, 11, 12, 13]);
    expect(Array.from(flow)).toEqual([0, 1, 2, 3, 4, 5, 9, 10, 14, 15, 16, 17, 18, 19]);
    expect(Array.from(joinFlow(data, flow, b2, new Float32Array(20)))).toEqual(full);
  });

  test("copyInterior takes the interior of a full row, as splitFlow does", () => {
    const full = Float32Array.from({ length: 20 }, (_, i) => i);
    const out = new Float32Array(8).fill(-1);
    copyInterior(full, b2, out, 1);
    expect(Array.from(out)).toEqual([-1, 6, 7, 8, 11, 12, 13, -1]);
    const out1 = new Float32Array(5);
    copyInterior(Float32Array.from([9, 1, 2, 3, 4, 5, 8]), b1, out1, 0);
    expect(Array.from(out1)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("describing and comparing", () => {
  test("describeBinning", () => {
    expect(describeBinning(b1)).toBe("1D 5 bins [0, 10]");
    expect(describeBinning(b2)).toBe("2D 3x2 bins [0, 3]x[-1, 1]");
  });
  test("sameBinning compares every field", () => {
    expect(sameBinning(b1, { ...b1 })).toBe(true);
    expect(sameBinning(b1, { ...b1, xmax: 11 })).toBe(false);
    expect(sameBinning(b2, { ...b2, ybins: 3 })).toBe(false);
  });
});

describe("binning with the flow bins counted", () => {
  test("one bin more on each side of each axis, and back", () => {
    expect(binningWithFlow(b1)).toEqual({ ...b1, xmin: -2, xmax: 12, xbins: 7 });
    expect(binningWithFlow(b2)).toEqual({ ...b2, xmin: -1, xmax: 4, xbins: 5, ymin: -2, ymax: 2, ybins: 4 });
    expect(binningWithoutFlow(binningWithFlow(b1))).toEqual(b1);
    expect(binningWithoutFlow(binningWithFlow(b2))).toEqual(b2);
    expect(fullSize(b2)).toBe(interiorSize(binningWithFlow(b2)));
  });
});

test("rowBinning reads the binning of a JSON histogram row", () => {
  expect(rowBinning({ x_min: 0, x_max: 10, x_bin: 5 })).toEqual(b1);
  expect(rowBinning({ x_min: 0, x_max: 3, x_bin: 3, y_min: -1, y_max: 1, y_bin: 2 })).toEqual(b2);
});
