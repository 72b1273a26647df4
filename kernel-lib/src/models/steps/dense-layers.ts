/**
 * What both training steps (kernel-step.ts, graph-step.ts) share: the dense layers of a plain
 * autoencoder found in a layers model, their base class DenseStep (the layers, Adam's settings and
 * state, the batch check), the loss's gradient scale, and the trained weights written back into the
 * layers.
 */
import * as tf from "@tensorflow/tfjs";
import { lossTopK } from "../losses";
import { newAdamState, type AdamState, type StepOptions } from "../training/contract";

/** The activations the step differentiates (the same set as the autoencoder's options). */
export const FAST_ACTIVATIONS = [
  "relu",
  "elu",
  "selu",
  "tanh",
  "sigmoid",
  "linear",
  "softplus",
  "swish",
  "relu6",
] as const;
export type FastActivation = (typeof FAST_ACTIVATIONS)[number];

export interface DenseLayerInfo {
  layer: tf.layers.Layer;
  inputDim: number;
  units: number;
  activation: FastActivation;
}

/**
 * The dense layers of `model` when it is a plain stack of Dense layers with biases, supported
 * activations and no regularisers or constraints; otherwise why not.
 */
export function denseLayers(model: tf.LayersModel): { layers: DenseLayerInfo[] } | { reason: string } {
  const out: DenseLayerInfo[] = [];
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    if (kind === "InputLayer") continue;
    if (kind !== "Dense") return { reason: `layer '${layer.name}' is a ${kind}, not Dense` };
    const c = layer.getConfig();
    const activation = String(c.activation ?? "linear") as FastActivation;
    if (!FAST_ACTIVATIONS.includes(activation))
      return { reason: `layer '${layer.name}' has activation '${activation}'` };
    if (c.useBias === false) return { reason: `layer '${layer.name}' has no bias` };
    for (const key of ["kernelRegularizer", "biasRegularizer", "activityRegularizer"])
      if (c[key]) return { reason: `layer '${layer.name}' has a ${key}` };
    for (const key of ["kernelConstraint", "biasConstraint"])
      if (c[key]) return { reason: `layer '${layer.name}' has a ${key}` };
    if (!layer.trainable) return { reason: `layer '${layer.name}' is frozen` };
    const [kernel] = layer.getWeights();
    if (!kernel || kernel.rank !== 2) return { reason: `layer '${layer.name}' is not built` };
    const prev = out[out.length - 1];
    if (prev && prev.units !== kernel.shape[0])
      return { reason: `layer '${layer.name}' does not take the previous layer's output` };
    const [inputDim, units] = kernel.shape as [number, number];
    out.push({ layer, inputDim, units, activation });
  }
  if (out.length === 0) return { reason: "the model has no Dense layers" };
  return { layers: out };
}

/**
 * What both training steps hold: the dense layers of an autoencoder they train, the Adam settings
 * and Adam's state.
 */
export abstract class DenseStep {
  readonly layers: readonly DenseLayerInfo[];
  /** Bins per row: the autoencoder's input and output width. */
  readonly inputDim: number;
  /** Adam's moments and step count. */
  readonly adam: AdamState;
  /** The backend the step was made for. */
  readonly backend = tf.getBackend();
  /** k of the top-k loss; null for MSE. */
  protected readonly topK: number | null;
  protected readonly lr: number;
  protected readonly beta1: number;
  protected readonly beta2: number;
  protected readonly epsilon: number;

  /**
   * The dense layers of an autoencoder `model` that a training step can train, the Adam settings of
   * `o`, and Adam's state (`adam`, checked against the weights, or a new one); throws saying why not.
   */
  constructor(model: tf.LayersModel, o: StepOptions, adam?: AdamState) {
    const found = denseLayers(model);
    if ("reason" in found) throw new Error(`the fast trainer cannot train this model: ${found.reason}`);
    const layers = found.layers;
    const inputDim = layers[0].inputDim;
    const outputDim = layers[layers.length - 1].units;
    if (outputDim !== inputDim)
      throw new Error(
        `the fast trainer trains autoencoders: the model maps ${inputDim} inputs to ${outputDim} outputs`,
      );
    const sizes = layers.flatMap(({ inputDim: n, units }) => [n * units, units]);
    if (adam && (adam.m.length !== sizes.length || adam.m.some((m, i) => m.length !== sizes[i])))
      throw new Error("the saved Adam state does not match the model's weights");
    this.layers = layers;
    this.inputDim = inputDim;
    this.topK = lossTopK(o.loss);
    this.lr = o.learningRate;
    this.beta1 = o.beta1 ?? 0.9;
    this.beta2 = o.beta2 ?? 0.999;
    this.epsilon = o.epsilon ?? tf.backend().epsilon();
    this.adam = adam ?? newAdamState(sizes);
  }

  /** Throws unless `x` holds `rows` rows. */
  protected checkBatch(x: Float32Array, rows: number): void {
    if (x.length < rows * this.inputDim)
      throw new RangeError(`a batch of ${rows} rows needs ${rows * this.inputDim} values`);
  }
}

/** Writes kernel `weight(2 i)` and bias `weight(2 i + 1)` into each layer i (copies: the model owns them). */
export function writeWeights(layers: readonly DenseLayerInfo[], weight: (k: number) => Float32Array): void {
  layers.forEach(({ layer, inputDim, units }, i) => {
    const k = tf.tensor2d(weight(2 * i), [inputDim, units], "float32");
    const b = tf.tensor1d(weight(2 * i + 1), "float32");
    layer.setWeights([k, b]);
    k.dispose();
    b.dispose();
  });
}

/** The batch-mean loss gradient is `gradScale` times what outputLossGrad writes. */
export function gradScale(rows: number, cols: number, topK: number | null): number {
  return topK === null ? 2 / (rows * cols) : 1 / rows;
}
