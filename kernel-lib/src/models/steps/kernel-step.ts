/**
 * The kernel step: a training step for plain dense autoencoders in TensorFlow.js kernels, not bound by
 * per-kernel overhead (on every backend; the graph step, graph-step.ts, is faster on the native one).
 *
 * `model.fit` runs about 220 kernels per batch for a 4-layer autoencoder (the gradient tape, reshapes
 * around every fused matMul, Adam's dozen ops per variable, each batch gathered out of the epoch
 * tensor), each with 10-15 µs of engine overhead. This step runs 21-33 (cpu, wasm, tensorflow):
 * - rows are copied into the batch in JavaScript (no per-batch slicing or gathering of a big tensor);
 * - the forward pass is one `_FusedMatMul` kernel per layer (bias and activation fused) on rank-3
 *   tensors, called through `engine().runKernel` without the op wrappers and their reshapes;
 * - the loss and its gradient at the output layer are computed in JavaScript from the outputs (MSE,
 *   or the top-k loss with the same weights as mseTopK's custom gradient: `topKLossGrad`);
 * - the backward pass is written out: per layer the activation's derivative from its output (ReLU:
 *   times the output's sign), one matMul for the kernel gradient, the bias gradient, one matMul for
 *   the input gradient. On the WebAssembly backend the operands are transposed explicitly (its matMul
 *   takes the XNNPACK path only without transpose flags; the flagged path is a naive loop, 5-10x
 *   slower) and the bias gradient is a row of ones times the gradient (its Sum over a leading axis
 *   transposes first);
 * - Adam runs in JavaScript over the parameters kept as Float32Arrays (one loop per variable, the
 *   formula of tf.train.adam, with the loss's constant factor applied there), and the new parameters
 *   become tensors for the next step.
 * The layers model stays the owner of the weights: they are read from it at the start of every fit
 * and written back after every epoch, so save, load, predict and score work as before.
 */
import * as tf from "@tensorflow/tfjs";
import { topKLossGrad } from "../losses";
import type { AdamState, StepOptions, TrainStep } from "../training/contract";
import { DenseStep, gradScale, writeWeights, type FastActivation } from "./dense-layers";

/** Activations the fused matMul kernel applies itself (on every backend). */
const FUSABLE = new Set<FastActivation>(["linear", "relu", "relu6", "elu", "sigmoid"]);

/** selu's constants (as in TensorFlow). */
const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;

/**
 * One Adam step in place: the update of tf.train.adam (bias-corrected moments, epsilon added to the
 * square root of the corrected second moment), with the gradient multiplied by `scale` first.
 */
export function adamUpdate(
  p: Float32Array,
  g: ArrayLike<number>,
  m: Float32Array,
  v: Float32Array,
  o: { lr: number; beta1: number; beta2: number; epsilon: number; t: number; scale: number },
): void {
  const b1 = o.beta1;
  const b2 = o.beta2;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  const corr1 = 1 / (1 - Math.pow(b1, o.t));
  const corr2 = 1 / (1 - Math.pow(b2, o.t));
  const lr = o.lr;
  const eps = o.epsilon;
  const s = o.scale;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i] * s;
    const mi = b1 * m[i] + c1 * gi;
    const vi = b2 * v[i] + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] -= (lr * mi * corr1) / (Math.sqrt(vi * corr2) + eps);
  }
}

/**
 * The loss and its gradient at the output layer's pre-activation, in JavaScript, for an output
 * activation whose derivative follows from its output (all but swish). `p`: the outputs, `x`: the
 * targets (the inputs), `rows x cols` row-major. Returns the sum over rows of the per-sample loss
 * (MSE: mean squared error; top-k: mean of the k largest squared errors, see losses.ts) and, when
 * `grad` is given, writes the gradient of that sum up to a constant factor: 2/(rows cols) for the
 * batch-mean MSE, 1/rows for the batch-mean top-k loss (see `gradScale`).
 */
export function outputLossGrad(
  p: ArrayLike<number>,
  x: ArrayLike<number>,
  rows: number,
  cols: number,
  activation: FastActivation,
  topK: number | null,
  grad: Float32Array | null,
): number {
  const n = rows * cols;
  if (topK === null) {
    // MSE, with loops for the common output activations written out (no call per element)
    let sq = 0;
    if (!grad)
      for (let i = 0; i < n; i++) {
        const d = p[i] - x[i];
        sq += d * d;
      }
    else if (activation === "sigmoid")
      for (let i = 0; i < n; i++) {
        const y = p[i];
        const d = y - x[i];
        sq += d * d;
        grad[i] = d * y * (1 - y);
      }
    else if (activation === "linear")
      for (let i = 0; i < n; i++) {
        const d = p[i] - x[i];
        sq += d * d;
        grad[i] = d;
      }
    else {
      const slope = outputSlope(activation);
      for (let i = 0; i < n; i++) {
        const d = p[i] - x[i];
        sq += d * d;
        grad[i] = d * slope(p[i]);
      }
    }
    return sq / cols;
  }
  const diff = new Float32Array(n);
  for (let i = 0; i < n; i++) diff[i] = p[i] - x[i];
  const lossSum = topKLossGrad(diff, rows, cols, topK, grad);
  if (grad && activation !== "linear") {
    const slope = outputSlope(activation);
    for (let i = 0; i < n; i++) if (grad[i] !== 0) grad[i] *= slope(p[i]);
  }
  return lossSum;
}

/** d(activation)/dz as a function of the activation's output (not defined for swish). */
function outputSlope(activation: FastActivation): (y: number) => number {
  switch (activation) {
    case "linear":
      return () => 1;
    case "relu":
      return (y) => (y > 0 ? 1 : 0);
    case "relu6":
      return (y) => (y > 0 && y < 6 ? 1 : 0);
    case "sigmoid":
      return (y) => y * (1 - y);
    case "tanh":
      return (y) => 1 - y * y;
    case "elu":
      return (y) => (y >= 0 ? 1 : y + 1);
    case "selu":
      return (y) => (y > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA);
    case "softplus":
      return (y) => 1 - Math.exp(-y);
    case "swish":
      throw new Error("swish's derivative needs its input");
  }
}

type T3 = tf.Tensor;
const NO_TRANSPOSE = { transposeA: false, transposeB: false };
type NamedAttrMap = NonNullable<Parameters<ReturnType<typeof tf.engine>["runKernel"]>[2]>;

/** Trains the dense layers of a model batch by batch (see the module comment). */
export class KernelStep extends DenseStep implements TrainStep {
  readonly kind = "kernels";
  readonly outputDim: number;
  /** Kernel then bias of each layer, row-major, float32: the weights being trained. */
  readonly params: Float32Array[] = [];
  private readonly engine = tf.engine();
  private readonly explicitTranspose: boolean;
  private readonly jsOutput: boolean;
  private consts: Map<number, tf.Tensor> = new Map();
  private ones: Map<number, tf.Tensor> = new Map();

  constructor(model: tf.LayersModel, o: StepOptions, adam?: AdamState) {
    super(model, o, adam);
    this.outputDim = this.inputDim;
    this.explicitTranspose = o.explicitTranspose ?? tf.getBackend() === "wasm";
    this.jsOutput =
      (o.outputGradient ?? "js") === "js" && this.layers[this.layers.length - 1].activation !== "swish";
    this.pull();
  }

  /** Reads the weights from the layers model. */
  pull(): void {
    this.params.length = 0;
    for (const { layer } of this.layers)
      for (const w of layer.getWeights()) this.params.push(Float32Array.from(w.dataSync() as Float32Array));
  }

  /** Writes the weights being trained to the layers model (copies: the model owns them). */
  push(): void {
    writeWeights(this.layers, (k) => this.params[k].slice());
  }

  /** Releases the constant tensors (kept across fits until then). */
  dispose(): void {
    for (const t of [...this.consts.values(), ...this.ones.values()]) t.dispose();
    this.consts.clear();
    this.ones.clear();
  }

  private scalar(v: number): tf.Tensor {
    let t = this.consts.get(v);
    if (!t) {
      t = tf.keep(tf.scalar(v, "float32"));
      this.consts.set(v, t);
    }
    return t;
  }

  private run(kernel: string, inputs: tf.NamedTensorMap, attrs?: NamedAttrMap): T3 {
    return this.engine.runKernel<tf.Tensor>(kernel, inputs, attrs);
  }

  private transpose(x: T3): T3 {
    return this.run("Transpose", { x }, { perm: [0, 2, 1] });
  }

  /** a @ b (rank 3, batch 1), with optional transposes. */
  private matMul(a: T3, b: T3, transposeA: boolean, transposeB: boolean): T3 {
    if (this.explicitTranspose) {
      if (transposeA) a = this.transpose(a);
      if (transposeB) b = this.transpose(b);
      transposeA = transposeB = false;
    }
    return this.run("BatchMatMul", { a, b }, { transposeA, transposeB });
  }

  /**
   * Bias gradient: the sum of dz over the batch. On the explicit path a [1, rows] row of ones times
   * dz (the wasm backend's Sum over a leading axis transposes first and is 3-20x slower).
   */
  private biasGrad(dz: T3, rows: number): T3 {
    if (!this.explicitTranspose) return this.run("Sum", { x: dz }, { axis: [0, 1], keepDims: false });
    let ones = this.ones.get(rows);
    if (!ones) {
      ones = tf.keep(tf.ones([1, 1, rows], "float32"));
      this.ones.set(rows, ones);
    }
    return this.run("BatchMatMul", { a: ones, b: dz }, NO_TRANSPOSE);
  }

  /** The batch transposed ([1, D, rows]) as a new tensor, transposed in JavaScript. */
  private transposedBatch(x: Float32Array, rows: number): T3 {
    const D = this.inputDim;
    const t = new Float32Array(rows * D);
    for (let r = 0; r < rows; r++) {
      const base = r * D;
      for (let c = 0; c < D; c++) t[c * rows + r] = x[base + c];
    }
    return tf.tensor3d(t, [1, D, rows], "float32");
  }

  private paramTensors(): { w: T3[]; b: T3[] } {
    const w: T3[] = [];
    const b: T3[] = [];
    this.layers.forEach(({ inputDim, units }, i) => {
      w.push(tf.tensor3d(this.params[2 * i], [1, inputDim, units], "float32"));
      b.push(tf.tensor1d(this.params[2 * i + 1], "float32"));
    });
    return { w, b };
  }

  /** Layer i's output (and its pre-activation when the derivative needs it). */
  private dense(i: number, a: T3, w: T3, b: T3): { out: T3; z: T3 | null } {
    const act = this.layers[i].activation;
    const fused = FUSABLE.has(act);
    const z = this.run(
      "_FusedMatMul",
      { a, b: w, bias: b },
      { transposeA: false, transposeB: false, activation: fused ? act : "linear", leakyreluAlpha: 0 },
    );
    if (fused) return { out: z, z: null };
    switch (act) {
      case "tanh":
        return { out: tf.tanh(z), z: null };
      case "selu":
        return { out: tf.selu(z), z: null };
      case "softplus":
        return { out: tf.softplus(z), z: null };
      case "swish":
        return { out: tf.mul(tf.sigmoid(z), z), z };
      default:
        throw new Error(`unsupported activation ${act}`);
    }
  }

  /** dL/dz of layer i from dL/d(output), its output and (swish) its pre-activation. */
  private activationGrad(i: number, dy: T3, y: T3, z: T3 | null): T3 {
    const one = this.scalar(1);
    switch (this.layers[i].activation) {
      case "linear":
        return dy;
      case "relu":
        return tf.mul(dy, tf.sign(y)); // y >= 0: its sign is the step (one native kernel everywhere)
      case "relu6":
        return tf.mul(dy, tf.mul(tf.step(y), tf.step(tf.sub(this.scalar(6), y))));
      case "sigmoid":
        return tf.mul(dy, tf.mul(y, tf.sub(one, y)));
      case "tanh":
        return tf.mul(dy, tf.sub(one, tf.square(y)));
      case "elu":
        return this.run("EluGrad", { dy, y });
      case "selu":
        return tf.mul(
          dy,
          tf.where(tf.greater(y, 0), this.scalar(SELU_SCALE), tf.add(y, SELU_SCALE * SELU_ALPHA)),
        );
      case "softplus":
        return tf.mul(dy, tf.sub(one, tf.exp(tf.neg(y))));
      case "swish": {
        const s = tf.sigmoid(z as T3);
        return tf.mul(dy, tf.mul(s, tf.add(one, tf.mul(z as T3, tf.sub(one, s)))));
      }
    }
  }

  /** Forward pass of `rows` rows of `x` (row-major, a view is fine); the outputs of every layer. */
  private forward(x: T3, w: T3[], b: T3[]): { acts: T3[]; zs: Array<T3 | null> } {
    const acts = [x];
    const zs: Array<T3 | null> = [];
    for (let i = 0; i < this.layers.length; i++) {
      const { out, z } = this.dense(i, acts[i], w[i], b[i]);
      acts.push(out);
      zs.push(z);
    }
    return { acts, zs };
  }

  /**
   * One training step on `rows` rows (row-major in `x`); returns the sum over the rows of the
   * per-sample loss (before the update, as model.fit reports it).
   */
  trainBatch(x: Float32Array, rows: number): number {
    this.checkBatch(x, rows);
    const D = this.inputDim;
    const L = this.layers.length;
    const grads: ArrayLike<number>[] = new Array(2 * L);
    let lossSum = 0;
    let scale = 1;
    tf.tidy(() => {
      const xt = tf.tensor3d(x.subarray(0, rows * D), [1, rows, D], "float32");
      const { w, b } = this.paramTensors();
      const { acts, zs } = this.forward(xt, w, b);
      const out = acts[L];
      // The loss and the gradient at the output layer's pre-activation, up to the factor
      // `gradScale` applied in the Adam step: in JavaScript from the outputs (a handful of small
      // kernels fewer), or with tensors when the output activation is swish.
      const OD = this.outputDim;
      let dzOut: T3;
      if (this.jsOutput) {
        const g = new Float32Array(rows * OD);
        lossSum = outputLossGrad(out.dataSync(), x, rows, OD, this.layers[L - 1].activation, this.topK, g);
        dzOut = tf.tensor3d(g, [1, rows, OD], "float32");
      } else {
        const d = tf.sub(out, xt);
        let dOut: T3;
        if (this.topK === null) {
          lossSum = (tf.sum(tf.square(d)).dataSync()[0] as number) / OD;
          dOut = d;
        } else {
          const g = new Float32Array(rows * OD);
          lossSum = topKLossGrad(d.dataSync(), rows, OD, this.topK, g);
          dOut = tf.tensor3d(g, [1, rows, OD], "float32");
        }
        dzOut = this.activationGrad(L - 1, dOut, out, zs[L - 1]);
      }
      scale = gradScale(rows, OD, this.topK);
      let dy = dzOut;
      for (let i = L - 1; i >= 0; i--) {
        const dz = i === L - 1 ? dzOut : this.activationGrad(i, dy, acts[i + 1], zs[i]);
        // kernel gradient: a^T dz (the input's transpose made in JavaScript on the explicit path)
        const dw =
          i === 0 && this.explicitTranspose
            ? this.run("BatchMatMul", { a: this.transposedBatch(x, rows), b: dz }, NO_TRANSPOSE)
            : this.matMul(acts[i], dz, true, false);
        grads[2 * i] = dw.dataSync();
        grads[2 * i + 1] = this.biasGrad(dz, rows).dataSync();
        if (i > 0) dy = this.matMul(dz, w[i], false, true);
      }
    });
    this.adam.t += 1;
    const step = {
      lr: this.lr,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      t: this.adam.t,
      scale,
    };
    for (let k = 0; k < this.params.length; k++)
      adamUpdate(this.params[k], grads[k], this.adam.m[k], this.adam.v[k], step);
    return lossSum;
  }

  /** The sum over `rows` rows of the per-sample loss under the current weights (no update). */
  lossSum(x: Float32Array, rows: number): number {
    const D = this.inputDim;
    return tf.tidy(() => {
      const xt = tf.tensor3d(x.subarray(0, rows * D), [1, rows, D], "float32");
      const { w, b } = this.paramTensors();
      const out = this.forward(xt, w, b).acts[this.layers.length];
      const activation = this.layers[this.layers.length - 1].activation;
      if (this.jsOutput)
        return outputLossGrad(out.dataSync(), x, rows, this.outputDim, activation, this.topK, null);
      if (this.topK === null)
        return (tf.sum(tf.squaredDifference(out, xt)).dataSync()[0] as number) / this.outputDim;
      return topKLossGrad(tf.sub(out, xt).dataSync(), rows, this.outputDim, this.topK, null);
    });
  }
}
