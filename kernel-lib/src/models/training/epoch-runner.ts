/**
 * The epoch runner, the reproducible training loop: a seeded validation split, a seeded row order
 * every epoch (tfjs's own shuffle uses Math.random), one epoch at a time through an `EpochRunner`
 * (a training step driven batch by batch, `stepRunner`, or the layers model's `fit`, layers-fit.ts),
 * early stopping on the validation loss (or the training loss without validation) with the best
 * weights restored, and progress reported per epoch.
 */
import * as tf from "@tensorflow/tfjs";
import type { EpochLog } from "../../display/progress";
import { permutation, seededRandom } from "../seeds";
import type { RunnerFactory, TrainOptions, TrainResult, TrainStep } from "./contract";

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

/** Rows of `x` (row-major, `cols` wide) copied into `out` in the given order. */
export function gatherRows(
  x: Float32Array,
  cols: number,
  rows: Int32Array,
  start: number,
  end: number,
  out: Float32Array,
): void {
  for (let k = start; k < end; k++) {
    const r = rows[k];
    out.set(x.subarray(r * cols, (r + 1) * cols), (k - start) * cols);
  }
}

/** Rows evaluated at once for the validation loss. */
const EVAL_ROWS = 8192;

/** The mean per-sample loss over every row of `x` (row-major, `cols` wide), in chunks. */
export function meanLoss(step: TrainStep, x: Float32Array, cols: number): number {
  const rows = x.length / cols;
  let sum = 0;
  for (let start = 0; start < rows; start += EVAL_ROWS) {
    const end = Math.min(rows, start + EVAL_ROWS);
    sum += step.lossSum(x.subarray(start * cols, end * cols), end - start);
  }
  return sum / rows;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Epochs of a training step over `x` (row-major, `cols` wide), from the layers model's weights:
 * batches copied from the rows in the epoch's order, the validation loss over the split's rows (or
 * `validation`) after the epoch, and the weights written back to the layers model. Yields to the
 * event loop every 200 ms so that progress output and kernel messages go through during long epochs.
 * The step outlives the runner (its owner disposes it).
 */
export function stepRunner(
  step: TrainStep,
  x: Float32Array,
  cols: number,
  validation: Float32Array | null,
  batchSize: number,
): RunnerFactory {
  return (valRows) => {
    let val = validation;
    if (!val && valRows.length) {
      val = new Float32Array(valRows.length * cols);
      gatherRows(x, cols, valRows, 0, valRows.length, val);
    }
    const batch = new Float32Array(batchSize * cols);
    step.pull();
    return {
      async epoch(order) {
        let sum = 0;
        let lastYield = performance.now();
        for (let start = 0; start < order.length; start += batchSize) {
          const end = Math.min(order.length, start + batchSize);
          gatherRows(x, cols, order, start, end, batch);
          sum += step.trainBatch(batch, end - start);
          if (performance.now() - lastYield > 200) {
            await yieldToEventLoop();
            lastYield = performance.now();
          }
        }
        const valLoss = val ? meanLoss(step, val, cols) : null;
        step.push();
        return { loss: sum / order.length, valLoss };
      },
      dispose() {},
    };
  };
}
