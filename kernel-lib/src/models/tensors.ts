/** Model inputs: a FeatureMatrix, `{ values, shape }`, or a 2D tensor. */
import * as tf from "@tensorflow/tfjs";
import { matrixShape, type MatrixLike } from "../data/matrix";

export type ModelInput = MatrixLike | tf.Tensor2D;

export function isTensor(x: ModelInput): x is tf.Tensor2D {
  return x instanceof tf.Tensor;
}

export function inputShape(x: ModelInput): [number, number] {
  if (isTensor(x)) {
    if (x.rank !== 2) throw new RangeError(`expected a 2D tensor [rows, bins], got rank ${x.rank}`);
    return [x.shape[0], x.shape[1]];
  }
  return matrixShape(x);
}

/** A 2D tensor of the input (the caller disposes it when `owned`). */
export function toTensor(x: ModelInput): { tensor: tf.Tensor2D; owned: boolean } {
  if (isTensor(x)) return { tensor: x, owned: false };
  return { tensor: tf.tensor2d(x.values, matrixShape(x), "float32"), owned: true };
}

/** Rows of a matrix-like input as a new tensor, in the given order. */
export function rowsTensor(x: MatrixLike, rows: Int32Array): tf.Tensor2D {
  const [, cols] = matrixShape(x);
  const out = new Float32Array(rows.length * cols);
  for (let k = 0; k < rows.length; k++)
    out.set(x.values.subarray(rows[k] * cols, (rows[k] + 1) * cols), k * cols);
  return tf.tensor2d(out, [rows.length, cols], "float32");
}

/**
 * The row-major values of an input (`cols` wide): a matrix's own array, or a copy of a tensor's
 * values (read once).
 */
export function matrixValues(x: ModelInput, cols: number, what: string): Float32Array {
  const [, c] = inputShape(x);
  if (c !== cols) throw new RangeError(`the model takes ${cols} bins per row, ${what} has ${c}`);
  if (!isTensor(x)) return x.values;
  if (x.dtype !== "float32") throw new TypeError(`${what} must be a float32 tensor, got ${x.dtype}`);
  return x.dataSync() as Float32Array;
}
