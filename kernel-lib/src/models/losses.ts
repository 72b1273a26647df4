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
    const w = topKWeights(sq, kk);
    save([diff, w]);
    return {
      value: tf.mean(tf.topk(sq, kk).values, -1),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [d, weights] = saved;
        const g = tf.mul(tf.mul(tf.expandDims(dy as tf.Tensor, -1), weights), tf.mul(d, 2));
        return [tf.neg(g), g];
      },
    };
  });
  return (yTrue, yPred) => op(yTrue, yPred);
}

/** The per-sample loss function of a spec (also the anomaly score). */
export function lossFunction(spec: LossSpec): LossFn {
  const k = topK(spec);
  return k === null ? mse : mseTopK(k);
}
