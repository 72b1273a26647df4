/**
 * Min-max scaling per column, fitted on the training matrix only and then applied unchanged to
 * validation and test matrices (values outside the training range map outside [lo, hi] unless
 * `clip` is set). Columns constant in training map to `lo`.
 */
import { FeatureMatrix, matrixShape, type MatrixLike } from "./matrix";

export interface MinMaxScalerJSON {
  kind: "min-max";
  min: number[];
  max: number[];
  range: [number, number];
  clip: boolean;
}

export class MinMaxScaler {
  private constructor(
    readonly min: Float32Array,
    readonly max: Float32Array,
    readonly range: readonly [number, number],
    readonly clip: boolean,
  ) {}

  /** Fits the per-column minimum and maximum of `x`. */
  static fit(x: MatrixLike, opts: { range?: [number, number]; clip?: boolean } = {}): MinMaxScaler {
    const [rows, cols] = matrixShape(x);
    if (rows === 0) throw new Error("cannot fit a scaler on an empty matrix");
    const range = opts.range ?? [0, 1];
    if (!(range[0] < range[1]))
      throw new RangeError(`range must be [lo, hi] with lo < hi, got [${range.join(", ")}]`);
    const min = new Float32Array(cols).fill(Infinity);
    const max = new Float32Array(cols).fill(-Infinity);
    const v = x.values;
    for (let r = 0; r < rows; r++)
      for (let c = 0, j = r * cols; c < cols; c++, j++) {
        if (v[j] < min[c]) min[c] = v[j];
        if (v[j] > max[c]) max[c] = v[j];
      }
    return new MinMaxScaler(min, max, [range[0], range[1]], opts.clip ?? false);
  }

  static fromJSON(json: MinMaxScalerJSON): MinMaxScaler {
    if (json.kind !== "min-max" || json.min.length !== json.max.length)
      throw new Error("not a min-max scaler: expected { kind: 'min-max', min, max, range, clip }");
    return new MinMaxScaler(Float32Array.from(json.min), Float32Array.from(json.max), json.range, json.clip);
  }

  get columns(): number {
    return this.min.length;
  }

  /** A scaled copy; a FeatureMatrix keeps its rows and blocks. */
  transform(x: FeatureMatrix): FeatureMatrix;
  transform(x: MatrixLike): MatrixLike;
  transform(x: MatrixLike): MatrixLike {
    const [rows, cols] = matrixShape(x);
    if (cols !== this.columns)
      throw new RangeError(`the scaler was fitted on ${this.columns} columns, this matrix has ${cols}`);
    const [lo, hi] = this.range;
    const scale = new Float64Array(cols);
    for (let c = 0; c < cols; c++) {
      const span = this.max[c] - this.min[c];
      scale[c] = span > 0 ? (hi - lo) / span : 0;
    }
    const out = new Float32Array(rows * cols);
    const v = x.values;
    for (let r = 0; r < rows; r++)
      for (let c = 0, j = r * cols; c < cols; c++, j++) {
        let s = lo + (v[j] - this.min[c]) * scale[c];
        if (this.clip) s = s < lo ? lo : s > hi ? hi : s;
        out[j] = s;
      }
    return x instanceof FeatureMatrix ? x.withValues(out) : { values: out, shape: [rows, cols] };
  }

  toJSON(): MinMaxScalerJSON {
    return {
      kind: "min-max",
      min: Array.from(this.min),
      max: Array.from(this.max),
      range: [this.range[0], this.range[1]],
      clip: this.clip,
    };
  }
}
