/**
 * The graph step: the fast trainer's step as one TensorFlow graph, on the native backend: one call
 * into TensorFlow per batch instead of one per kernel.
 *
 * On the native backend every TensorFlow.js kernel costs 40-60 µs of engine, binding and eager-op
 * overhead, so even the 27-33 kernels of the kernel step (kernel-step.ts) cost more than the
 * arithmetic of a small autoencoder. Here the whole step (forward, loss, backward, Adam;
 * graph/train-step-graph.ts) is a graph that tfjs-node loads as a SavedModel into a TensorFlow
 * session, and each batch is one session run that feeds the batch, the parameters and Adam's moments
 * and fetches the loss and their new values.
 * TensorFlow's graph optimizer fuses the dense layers and runs the graph's kernels on its own thread
 * pool (or GPU with tfjs-node-gpu). The results are those of KernelStep.trainBatch (tested).
 *
 * The step owns its session: it loads the graph into a new one when it is made and releases it in
 * dispose(); a step lives as long as its autoencoder, so a session (20-70 ms to make) serves every fit.
 */
import * as tf from "@tensorflow/tfjs";
import type { AdamState, StepOptions, TrainStep } from "../training/contract";
import { DenseStep, gradScale, writeWeights } from "./dense-layers";
import { StepSession, sessionsUnavailable } from "./graph/step-session";
import { parameterLayout, STEP, trainStepGraph, type TrainStepSpec } from "./graph/train-step-graph";

const STEP_FEEDS = [STEP.x, STEP.params, STEP.m, STEP.v, STEP.coef];
const STEP_FETCHES = [STEP.lossSum, STEP.paramsNext, STEP.mNext, STEP.vNext];
const LOSS_FEEDS = [STEP.x, STEP.params];
const LOSS_FETCHES = [STEP.lossSum];

/** null when the graph step can run on the active backend, else why not. */
export const graphStepUnavailable = sessionsUnavailable;

export class GraphStep extends DenseStep implements TrainStep {
  readonly kind = "graph";
  /** The session running the step's graph, made and released by the step. */
  private readonly session: StepSession;
  private readonly layout: ReturnType<typeof parameterLayout>;
  /** The parameters and moments as flat tensors, replaced by every step. */
  private params: tf.Tensor1D;
  private m: tf.Tensor1D;
  private v: tf.Tensor1D;
  private disposed = false;

  constructor(model: tf.LayersModel, o: StepOptions, adam?: AdamState) {
    const why = graphStepUnavailable();
    if (why) throw new Error(`the graph training step is unavailable: ${why}`);
    super(model, o, adam);
    this.layout = parameterLayout(this.layers);
    const spec: TrainStepSpec = {
      layers: this.layers.map(({ inputDim, units, activation }) => ({ inputDim, units, activation })),
      topK: this.topK,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
    };
    this.session = new StepSession(trainStepGraph(spec));
    this.params = this.readParams();
    this.m = this.flat(this.adam.m);
    this.v = this.flat(this.adam.v);
  }

  private flat(parts: ArrayLike<number>[]): tf.Tensor1D {
    const out = new Float32Array(this.layout.total);
    parts.forEach((p, k) => out.set(p, this.layout.offsets[k]));
    return tf.keep(tf.tensor1d(out, "float32"));
  }

  private readParams(): tf.Tensor1D {
    return this.flat(this.layers.flatMap(({ layer }) => layer.getWeights().map((w) => w.dataSync())));
  }

  private checkOpen(): void {
    if (this.disposed) throw new Error("the graph trainer has been disposed");
  }

  /** The first `rows` rows of `x` as a tensor for the session. */
  private batch(x: Float32Array, rows: number): tf.Tensor2D {
    this.checkOpen();
    this.checkBatch(x, rows);
    return tf.tensor2d(x.subarray(0, rows * this.inputDim), [rows, this.inputDim], "float32");
  }

  /** Reads the weights from the layers model. */
  pull(): void {
    this.checkOpen();
    this.params.dispose();
    this.params = this.readParams();
  }

  /** One training step on `rows` rows of `x` (row-major): the loss summed over them, before the update. */
  trainBatch(x: Float32Array, rows: number): number {
    const xt = this.batch(x, rows);
    const t = ++this.adam.t;
    const coef = tf.tensor1d(
      [
        gradScale(rows, this.inputDim, this.topK),
        this.lr / (1 - Math.pow(this.beta1, t)),
        1 / (1 - Math.pow(this.beta2, t)),
      ],
      "float32",
    );
    let out: tf.Tensor[];
    try {
      out = this.session.run([xt, this.params, this.m, this.v, coef], STEP_FEEDS, STEP_FETCHES);
    } finally {
      xt.dispose();
      coef.dispose();
    }
    const [loss, params, m, v] = out;
    this.params.dispose();
    this.m.dispose();
    this.v.dispose();
    this.params = params as tf.Tensor1D;
    this.m = m as tf.Tensor1D;
    this.v = v as tf.Tensor1D;
    const sum = loss.dataSync()[0];
    loss.dispose();
    return sum;
  }

  /** The loss summed over `rows` rows of `x` under the current weights (no update). */
  lossSum(x: Float32Array, rows: number): number {
    const xt = this.batch(x, rows);
    try {
      const [loss] = this.session.run([xt, this.params], LOSS_FEEDS, LOSS_FETCHES);
      const sum = loss.dataSync()[0];
      loss.dispose();
      return sum;
    } finally {
      xt.dispose();
    }
  }

  /** Writes the weights to the layers model, and Adam's moments to `adam`. */
  push(): void {
    const p = this.params.dataSync() as Float32Array;
    const { offsets, sizes } = this.layout;
    writeWeights(this.layers, (k) => p.slice(offsets[k], offsets[k] + sizes[k]));
    const m = this.m.dataSync();
    const v = this.v.dataSync();
    for (let k = 0; k < sizes.length; k++) {
      this.adam.m[k].set(m.subarray(offsets[k], offsets[k] + sizes[k]));
      this.adam.v[k].set(v.subarray(offsets[k], offsets[k] + sizes[k]));
    }
  }

  /** Releases the tensors and the session. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.params.dispose();
    this.m.dispose();
    this.v.dispose();
    this.session.dispose();
  }
}
