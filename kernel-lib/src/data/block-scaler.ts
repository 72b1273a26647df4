/**
 * Min-max scaling per column, then one weight per block of columns so that every block carries the
 * same total variance on the training matrix. An autoencoder's mean squared error sums over columns:
 * after a plain min-max scaling a block of 100 bins outweighs a single hit-rate column a hundredfold,
 * and a monitor element with many bins outweighs one with few. Balanced, each block (a monitor
 * element's bins, its run median, its hit rate) counts the same in the training loss and in the score.
 * Fitted on the training matrix only, applied unchanged to validation and test matrices.
 */
import { FeatureMatrix, matrixShape, type FeatureBlock } from "./matrix";
import { MinMaxScaler } from "./scaler";

export interface BlockScalerJSON {
  kind: "block";
  minMax: ReturnType<MinMaxScaler["toJSON"]>;
  /** Weight of each column (the weight of its block). */
  weights: number[];
}

/** The blocks of `x` plus one single-column block for each column no block covers. */
function coveringBlocks(x: FeatureMatrix): Array<{ offset: number; width: number }> {
  const covered = new Uint8Array(x.cols);
  const out: Array<{ offset: number; width: number }> = [];
  for (const b of x.blocks as readonly FeatureBlock[]) {
    out.push({ offset: b.offset, width: b.width });
    covered.fill(1, b.offset, b.offset + b.width);
  }
  for (let c = 0; c < x.cols; c++) if (!covered[c]) out.push({ offset: c, width: 1 });
  return out;
}

export class BlockScaler {
  private constructor(
    readonly minMax: MinMaxScaler,
    readonly weights: Float32Array,
  ) {}

  /**
   * Fits the per-column minimum and maximum of `x`, then each block's weight: 1 / sqrt(the block's
   * total variance after min-max scaling), the sum over its columns of their variance over the rows.
   * A block constant in training keeps weight 1.
   */
  static fit(x: FeatureMatrix): BlockScaler {
    const minMax = MinMaxScaler.fit(x);
    const s = minMax.transform(x);
    const { rows, cols } = s;
    const mean = new Float64Array(cols);
    const sq = new Float64Array(cols);
    for (let r = 0; r < rows; r++)
      for (let c = 0, j = r * cols; c < cols; c++, j++) {
        mean[c] += s.values[j];
        sq[c] += s.values[j] * s.values[j];
      }
    const variance = Float64Array.from(mean, (m, c) => Math.max(0, sq[c] / rows - (m / rows) ** 2));
    const weights = new Float32Array(cols).fill(1);
    for (const b of coveringBlocks(x)) {
      let total = 0;
      for (let c = b.offset; c < b.offset + b.width; c++) total += variance[c];
      if (total > 0) weights.fill(1 / Math.sqrt(total), b.offset, b.offset + b.width);
    }
    return new BlockScaler(minMax, weights);
  }

  static fromJSON(json: BlockScalerJSON): BlockScaler {
    if (json.kind !== "block" || json.weights.length !== json.minMax.min.length)
      throw new Error("not a block scaler: expected { kind: 'block', minMax, weights }");
    return new BlockScaler(MinMaxScaler.fromJSON(json.minMax), Float32Array.from(json.weights));
  }

  get columns(): number {
    return this.weights.length;
  }

  /** A scaled copy that keeps the rows and blocks of `x`. */
  transform(x: FeatureMatrix): FeatureMatrix {
    const [rows, cols] = matrixShape(x);
    if (cols !== this.columns)
      throw new RangeError(`the scaler was fitted on ${this.columns} columns, this matrix has ${cols}`);
    const s = this.minMax.transform(x);
    const out = s.values;
    for (let r = 0; r < rows; r++)
      for (let c = 0, j = r * cols; c < cols; c++, j++) out[j] *= this.weights[c];
    return s;
  }

  toJSON(): BlockScalerJSON {
    return { kind: "block", minMax: this.minMax.toJSON(), weights: Array.from(this.weights) };
  }
}
