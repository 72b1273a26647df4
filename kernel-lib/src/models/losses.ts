/**
 * Reconstruction losses, per sample (tfjs-layers averages them over the batch):
 * - `mse`: mean over bins of the squared error;
 * - `mseTop10` (`{ topK: k }`): mean of the k largest squared bin errors, which keeps a model from
 *   hiding a localised defect in a few bins behind many well-reconstructed ones.
 * TopK has no gradient in TensorFlow.js, so the top-k loss is a custom gradient: d/d(pred) of the
 * mean of the k largest squared errors is 2 (pred - true) / k on those bins (ties at the k-th value
 * share the remaining weight), 0 elsewhere.
 */
import * as tf from "@tensorflow/tfjs";

export type LossSpec = "mse" | "mseTop10" | { topK: number };

export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

export function lossName(spec: LossSpec): string {
  return typeof spec === "string" ? spec : `mseTop${spec.topK}`;
}

/** Parses "mse", "mseTop10", "mseTop5" or { topK }. */
export function parseLoss(spec: LossSpec | string): LossSpec {
  if (typeof spec === "object") {
    if (!(Number.isInteger(spec.topK) && spec.topK >= 1))
      throw new RangeError(`topK must be a positive integer, got ${spec.topK}`);
    return spec;
  }
  if (spec === "mse" || spec === "mseTop10") return spec;
  const m = /^mseTop(\d+)$/.exec(spec);
  if (m && Number(m[1]) >= 1) return { topK: Number(m[1]) };
  throw new Error(`unknown loss '${spec}': use "mse", "mseTop10" or { topK: k }`);
}

function topK(spec: LossSpec): number | null {
  return spec === "mse" ? null : spec === "mseTop10" ? 10 : spec.topK;
}

/** Mean squared error per sample: [batch, bins] -> [batch]. */
export function mse(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mean(tf.squaredDifference(yPred, yTrue), -1));
}

/** Weights of each bin in the mean of the k largest values per row (rows of `sq`). */
function topKWeights(sq: tf.Tensor2D, k: number): tf.Tensor2D {
  return tf.tidy(() => {
    const kth = tf.topk(sq, k).values.slice([0, k - 1], [-1, 1]); // [batch, 1]
    const above = tf.cast(tf.greater(sq, kth), "float32");
    const at = tf.cast(tf.equal(sq, kth), "float32");
    const nAbove = tf.sum(above, -1, true);
    const nAt = tf.sum(at, -1, true);
    const share = tf.div(tf.sub(k, nAbove), nAt); // weight of each tie at the k-th value
    return tf.div(tf.add(above, tf.mul(at, share)), k) as tf.Tensor2D;
  });
}

/** Mean of the k largest squared errors per sample, with its gradient. */
export function mseTopK(k: number): LossFn {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [yTrue, yPred, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const diff = tf.sub(yPred, yTrue) as tf.Tensor2D;
    const kk = Math.min(k, diff.shape[1]);
    const sq = tf.square(diff) as tf.Tensor2D;
    save([diff, sq]);
    return {
      value: tf.mean(tf.topk(sq, kk).values, -1),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [d, sqSaved] = saved;
        const weights = topKWeights(sqSaved as tf.Tensor2D, kk);
        const g = tf.mul(tf.mul(tf.expandDims(dy as tf.Tensor, -1), weights), tf.mul(d, 2));
        return [tf.neg(g), g];
      },
    };
  });
  return (yTrue, yPred) => op(yTrue, yPred);
}

/**
 * The k-th largest of a[0..n) (k from 1), leaving `a` as it is: a min-heap of the k largest so far
 * (`heap`, k long) for small k, else quickselect on a copy. Exported for tests.
 */
export function kthLargest(a: Float32Array, n: number, k: number, heap?: Float32Array): number {
  if (k > 32) return quickselect(a.slice(0, n), n, k);
  const h = heap ?? new Float32Array(k);
  for (let i = 0; i < k; i++) h[i] = a[i];
  for (let i = (k >> 1) - 1; i >= 0; i--) siftDown(h, i, k);
  for (let i = k; i < n; i++) {
    const v = a[i];
    if (v > h[0]) {
      h[0] = v;
      siftDown(h, 0, k);
    }
  }
  return h[0];
}

function siftDown(h: Float32Array, i: number, k: number): void {
  const v = h[i];
  for (;;) {
    let c = 2 * i + 1;
    if (c >= k) break;
    if (c + 1 < k && h[c + 1] < h[c]) c++;
    if (h[c] >= v) break;
    h[i] = h[c];
    i = c;
  }
  h[i] = v;
}

/** The k-th largest of a[0..n) by quickselect (reorders `a`). */
function quickselect(a: Float32Array, n: number, k: number): number {
  const target = k - 1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const x = a[lo];
    const y = a[(lo + hi) >> 1];
    const z = a[hi];
    // median of three as the pivot
    const pivot = x > y ? (y > z ? y : x > z ? z : x) : x > z ? x : y > z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] > pivot) i++;
      while (a[j] < pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    // a[lo..j] >= pivot, a[j+1..i-1] == pivot, a[i..hi] <= pivot
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target];
  }
  return a[lo];
}

/**
 * mseTopK in plain JavaScript on the differences pred - true (`rows` x `cols`, row-major): the sum
 * over rows of the mean of the k largest squared errors, and, when `grad` is given, each row's
 * gradient with respect to pred written into it (2 (pred - true) / k on the top bins, ties at the
 * k-th value sharing the remaining weight: the same as the tensor version's custom gradient).
 * Squares are rounded to float32 first, so ties are the tensor version's ties.
 */
export function topKLossGrad(
  diff: ArrayLike<number>,
  rows: number,
  cols: number,
  k: number,
  grad: Float32Array | null,
): number {
  const kk = Math.min(k, cols);
  const sq = new Float32Array(cols);
  const heap = new Float32Array(kk);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) {
      const d = diff[base + c];
      sq[c] = d * d;
    }
    const kth = kthLargest(sq, cols, kk, heap);
    let nAbove = 0;
    let nAt = 0;
    let sumAbove = 0;
    for (let c = 0; c < cols; c++) {
      const v = sq[c];
      if (v > kth) {
        nAbove++;
        sumAbove += v;
      } else if (v === kth) nAt++;
    }
    total += (sumAbove + (kk - nAbove) * kth) / kk;
    if (grad) {
      const share = (kk - nAbove) / nAt;
      for (let c = 0; c < cols; c++) {
        const v = sq[c];
        const w = v > kth ? 1 : v === kth ? share : 0;
        grad[base + c] = w === 0 ? 0 : (2 * diff[base + c] * w) / kk;
      }
    }
  }
  return total;
}

/** The per-sample loss function of a spec (also the anomaly score). */
export function lossFunction(spec: LossSpec): LossFn {
  const k = topK(spec);
  return k === null ? mse : mseTopK(k);
}

/** k of a top-k loss, or null for MSE. */
export function lossTopK(spec: LossSpec): number | null {
  return topK(spec);
}
