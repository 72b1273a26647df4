/**
 * The reproducible training loop: a seeded validation split, a seeded row order every epoch (tfjs's
 * own shuffle uses Math.random), one epoch at a time through an `EpochRunner` (the layers model's
 * `fit` with shuffle off, or the fast trainer), early stopping on the validation loss (or the training
 * loss without validation) with the best weights restored, and progress reported per epoch.
 */
import * as tf from "@tensorflow/tfjs";
import type { EpochLog } from "../display/progress";
import { permutation, seededRandom } from "./seeds";

export interface EarlyStopping {
  /** Epochs without improvement before stopping; default 5. */
  patience?: number;
  /** Least decrease that counts as an improvement; default 0. */
  minDelta?: number;
  /** Put back the weights of the best epoch at the end; default true. */
  restoreBest?: boolean;
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** Fraction of the rows held out (seeded random rows) for the validation loss. */
  validationSplit: number;
  /** Whether the runner has explicit validation rows (then no split is made). */
  explicitValidation: boolean;
  seed: number;
  shuffle: boolean;
  earlyStopping: EarlyStopping | null;
  onEpoch: (e: EpochLog) => void;
}

export interface TrainResult {
  epochs: EpochLog[];
  bestEpoch: number;
  stoppedEarly: boolean;
  seconds: number;
}

/** Splits rows 0..n-1 into training and validation rows with a seeded permutation. */
export function validationRows(
  n: number,
  fraction: number,
  random: () => number,
): { train: Int32Array; val: Int32Array } {
  if (!(fraction >= 0 && fraction < 1))
    throw new RangeError(`validationSplit must be in [0, 1), got ${fraction}`);
  const nVal = Math.round(n * fraction);
  if (fraction > 0 && (nVal === 0 || nVal === n))
    throw new RangeError(
      `validationSplit ${fraction} of ${n} rows leaves no ${nVal === 0 ? "validation" : "training"} rows`,
    );
  if (nVal === 0) return { train: Int32Array.from({ length: n }, (_, i) => i), val: new Int32Array(0) };
  const p = permutation(n, random);
  return { train: p.slice(nVal).sort(), val: p.slice(0, nVal).sort() };
}

/** Trains one epoch at a time; the model holds the new weights when `epoch` resolves. */
export interface EpochRunner {
  /** One epoch over these training rows in this order: the mean training and validation losses. */
  epoch(order: Int32Array): Promise<{ loss: number; valLoss: number | null }>;
  dispose(): void;
}

/** Makes the runner, given the validation rows of the split (empty without a split). */
export type RunnerFactory = (valRows: Int32Array) => EpochRunner;

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

export async function train(
  model: tf.LayersModel,
  n: number,
  o: TrainOptions,
  makeRunner: RunnerFactory,
): Promise<TrainResult> {
  if (!(Number.isInteger(o.epochs) && o.epochs >= 1))
    throw new RangeError(`epochs must be a positive integer, got ${o.epochs}`);
  if (!(Number.isInteger(o.batchSize) && o.batchSize >= 1))
    throw new RangeError(`batchSize must be a positive integer, got ${o.batchSize}`);
  const random = seededRandom(o.seed);
  const rows = o.explicitValidation
    ? { train: Int32Array.from({ length: n }, (_, i) => i), val: new Int32Array(0) }
    : validationRows(n, o.validationSplit, random);
  const runner = makeRunner(rows.val);
  const es = o.earlyStopping;
  const patience = es?.patience ?? 5;
  const minDelta = es?.minDelta ?? 0;
  const restore = es ? (es.restoreBest ?? true) : false;
  const start = Date.now();
  const epochs: EpochLog[] = [];
  let best = Infinity;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | null = null;
  let wait = 0;
  let stoppedEarly = false;
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const order = o.shuffle ? shuffled(rows.train, random) : rows.train;
      const { loss, valLoss } = await runner.epoch(order);
      const e: EpochLog = { epoch, loss, valLoss, seconds: (Date.now() - start) / 1000 };
      epochs.push(e);
      o.onEpoch(e);
      const monitored = valLoss ?? loss;
      if (monitored < best - minDelta) {
        best = monitored;
        bestEpoch = epoch;
        wait = 0;
        if (restore) {
          bestWeights?.forEach((w) => w.dispose());
          bestWeights = model.getWeights().map((w) => w.clone());
        }
      } else if (es && ++wait >= patience) {
        stoppedEarly = epoch < o.epochs;
        break;
      }
      if (!Number.isFinite(loss))
        throw new Error(
          `the training loss became ${loss} at epoch ${epoch}: lower the learning rate or scale the inputs`,
        );
    }
    if (restore && bestWeights && bestEpoch !== epochs.length) model.setWeights(bestWeights);
  } finally {
    bestWeights?.forEach((w) => w.dispose());
    runner.dispose();
  }
  return {
    epochs,
    bestEpoch: bestEpoch || epochs.length,
    stoppedEarly,
    seconds: (Date.now() - start) / 1000,
  };
}

function shuffled(rows: Int32Array, random: () => number): Int32Array {
  const p = permutation(rows.length, random);
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = rows[p[i]];
  return out;
}
