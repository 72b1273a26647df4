import { BlockScaler, FeatureMatrix, type FeatureBlock } from "../src/index";

const binning = { dim: 1, xmin: 0, xmax: 1, xbins: 1, ymin: 0, ymax: 1, ybins: 1 } as const;
const block = (me: string, offset: number, width: number): FeatureBlock => ({
  me,
  offset,
  width,
  binning: { ...binning, xbins: width },
  flow: false,
});

const index = (n: number) => ({ runs: new Int32Array(n), lumisections: new Int32Array(n), tableRows: null });

/** Total variance of the columns [from, to) of a row-major matrix. */
function blockVariance(x: FeatureMatrix, from: number, to: number): number {
  let total = 0;
  for (let c = from; c < to; c++) {
    let s = 0;
    let s2 = 0;
    for (let r = 0; r < x.rows; r++) {
      const v = x.values[r * x.cols + c];
      s += v;
      s2 += v * v;
    }
    total += s2 / x.rows - (s / x.rows) ** 2;
  }
  return total;
}

describe("BlockScaler", () => {
  // Columns 0-3: a 4-bin block; column 4: a one-column block; column 5: no block (its own).
  const values = Float32Array.from([
    0, 1, 2, 3, 10, 5, 1, 0, 3, 1, 20, 7, 2, 2, 0, 2, 30, 9, 3, 3, 1, 0, 40, 5,
  ]);
  const x = new FeatureMatrix(values, 4, 6, [block("bins", 0, 4), block("rate", 4, 1)], index(4));

  test("every block carries the same total variance after fitting", () => {
    const s = BlockScaler.fit(x).transform(x);
    expect(blockVariance(s, 0, 4)).toBeCloseTo(1, 5);
    expect(blockVariance(s, 4, 5)).toBeCloseTo(1, 5);
    expect(blockVariance(s, 5, 6)).toBeCloseTo(1, 5);
    expect(s.blocks).toEqual(x.blocks);
  });

  test("applies the fitted weights unchanged to other matrices, and round-trips through JSON", () => {
    const scaler = BlockScaler.fit(x);
    const other = new FeatureMatrix(Float32Array.from([3, 3, 3, 3, 10, 9]), 1, 6, x.blocks, index(1));
    const a = scaler.transform(other);
    const b = BlockScaler.fromJSON(JSON.parse(JSON.stringify(scaler.toJSON()))).transform(other);
    expect(Array.from(b.values)).toEqual(Array.from(a.values));
    expect(a.values[4]).toBeCloseTo(0, 6); // the rate column's training minimum
    expect(() => scaler.transform(new FeatureMatrix(new Float32Array(5), 1, 5, [], index(1)))).toThrow(
      /6 columns/,
    );
  });

  test("a block constant in training keeps weight 1", () => {
    const flat = new FeatureMatrix(
      Float32Array.from([1, 2, 1, 4]),
      2,
      2,
      [block("a", 0, 1), block("b", 1, 1)],
      index(2),
    );
    const scaler = BlockScaler.fit(flat);
    expect(scaler.weights[0]).toBe(1);
    expect(scaler.weights[1]).toBeCloseTo(2, 5); // min-max to {0, 1}: variance 1/4
  });
});
