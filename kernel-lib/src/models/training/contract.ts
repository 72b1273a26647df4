/**
 * The training contract: what the epoch runner (epoch-runner.ts) is asked to do and answers, what
 * trains one epoch for it, and the one interface of a training step (the kernel step and the graph
 * step, ../steps/) that it drives batch by batch.
 */
import type { EpochLog } from "../../display/progress";
import type { LossSpec } from "../losses";

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
  /** The epoch whose weights the model has (the best one when early stopping restored them). */
  bestEpoch: number;
  /** Whether early stopping ended the fit before its last epoch. */
  stoppedEarly: boolean;
  seconds: number;
}

/** Trains one epoch at a time; the model holds the new weights when `epoch` resolves. */
export interface EpochRunner {
  /** One epoch over these training rows in this order: the mean training and validation losses. */
  epoch(order: Int32Array): Promise<{ loss: number; valLoss: number | null }>;
  dispose(): void;
}

/** Makes the runner, given the validation rows of the split (empty without a split). */
export type RunnerFactory = (valRows: Int32Array) => EpochRunner;

/** The training steps: one TensorFlow graph run per batch (native only), or tfjs kernels. */
export type StepKind = "graph" | "kernels";

/** What a step trains with. */
export interface StepOptions {
  loss: LossSpec;
  learningRate: number;
  beta1?: number;
  beta2?: number;
  /** Default: the backend's epsilon (1e-7 for float32), as tf.train.adam. */
  epsilon?: number;
  /**
   * Kernel step: transpose matMul operands with a Transpose kernel instead of the transpose flags;
   * default: on the wasm backend only (see kernel-step.ts).
   */
  explicitTranspose?: boolean;
  /**
   * Kernel step: where the loss and the output layer's gradient are computed: "js" (default; a few
   * small kernels fewer) or "tensors" (always the case for a swish output).
   */
  outputGradient?: "js" | "tensors";
}

/** Adam's moments and step count, kept across fits like the layers optimizer's. */
export interface AdamState {
  m: Float32Array[];
  v: Float32Array[];
  /** Steps taken. */
  t: number;
}

export function newAdamState(sizes: readonly number[]): AdamState {
  return { m: sizes.map((n) => new Float32Array(n)), v: sizes.map((n) => new Float32Array(n)), t: 0 };
}

/**
 * One optimizer step of a dense autoencoder over batches of rows given as Float32Arrays, with the
 * weights kept outside the layers model while training. A step lives as long as its autoencoder
 * (across fits): it owns what it creates (the graph step's TensorFlow session and tensors, the kernel
 * step's constant tensors) and releases them in dispose(). The layers model stays the owner of the
 * weights: the step reads them at the start of every fit (pull) and writes them back (push).
 */
export interface TrainStep {
  readonly kind: StepKind;
  /** The backend the step was made for. */
  readonly backend: string;
  /** Adam's moments and step count (current after push()). */
  readonly adam: AdamState;
  /** Reads the weights to train from the layers model. */
  pull(): void;
  /** One step on `rows` rows (row-major in `x`): the loss summed over the rows, before the update. */
  trainBatch(x: Float32Array, rows: number): number;
  /** The loss summed over `rows` rows under the current weights (no update). */
  lossSum(x: Float32Array, rows: number): number;
  /** Writes the weights being trained to the layers model (and Adam's moments to `adam`). */
  push(): void;
  dispose(): void;
}
