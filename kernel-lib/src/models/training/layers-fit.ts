/**
 * The layers model's own `fit` as the epoch runner's epochs (FitOptions.trainer "layers"): each
 * epoch one `fit` of one epoch over the rows in the runner's order, with tfjs's shuffle off.
 */
import * as tf from "@tensorflow/tfjs";
import type { RunnerFactory } from "./contract";

/** The layers model's own `fit`, one epoch at a time on the rows in the given order. */
export function layersRunner(
  model: tf.LayersModel,
  x: tf.Tensor2D,
  validation: tf.Tensor2D | null,
  batchSize: number,
): RunnerFactory {
  return (valRows) => {
    const val =
      validation ?? (valRows.length ? tf.tidy(() => tf.gather(x, tf.tensor1d(valRows, "int32"))) : null);
    return {
      async epoch(order) {
        const xe = tf.tidy(() => tf.gather(x, tf.tensor1d(order, "int32")));
        try {
          const h = await model.fit(xe, xe, {
            epochs: 1,
            batchSize,
            shuffle: false,
            verbose: 0,
            validationData: val ? [val, val] : undefined,
          });
          return { loss: Number(h.history.loss[0]), valLoss: val ? Number(h.history.val_loss[0]) : null };
        } finally {
          xe.dispose();
        }
      },
      dispose() {
        if (val && val !== validation) val.dispose();
      },
    };
  };
}
