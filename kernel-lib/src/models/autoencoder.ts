/**
 * A dense autoencoder on TensorFlow.js layers: encoder layers down to a bottleneck, a mirrored
 * decoder, a linear (or chosen) output layer; seeded initialisers; trained with MSE or mseTop10; the
 * anomaly score of a lumisection is its reconstruction error under the training loss.
 */
import * as tf from "@tensorflow/tfjs";
import { backend, type BackendChoice } from "../backend";
import { MinMaxScaler, type MinMaxScalerJSON } from "../data/scaler";
import { FitProgress, type EpochLog } from "../display/progress";
import { VEGA_LITE_MIME } from "../display/show";
import { lossCurve } from "../plot/curves";
import { lossFunction, lossName, parseLoss, type LossSpec } from "./losses";
import { loadModel, saveModel } from "./save-load";
import { layerSeed } from "./seeds";
import { chooseStep } from "./steps/choose-step";
import { inputShape, isTensor, matrixValues, toTensor, type ModelInput } from "./tensors";
import type { EarlyStopping, RunnerFactory, StepKind, TrainResult, TrainStep } from "./training/contract";
import { stepRunner, train } from "./training/epoch-runner";
import { layersRunner } from "./training/layers-fit";
import { VERSION } from "../version";

export type Activation =
  "relu" | "elu" | "selu" | "tanh" | "sigmoid" | "linear" | "softplus" | "swish" | "relu6";

export interface AutoencoderOptions {
  /** Bins per input row (x.shape[1]). */
  inputDim: number;
  /** Encoder widths down to the bottleneck, e.g. [64, 16]; the decoder mirrors them ([64]). */
  hidden: number[];
  /** Decoder widths, when not the mirror of the encoder. */
  decoder?: number[];
  /** Activation of the hidden layers: one for all, or one per hidden layer (encoder then decoder). */
  activation?: Activation | Activation[];
  /** Activation of the output layer; default "linear" ("sigmoid" for inputs scaled to [0, 1]). */
  outputActivation?: Activation;
  /** "mse", "mseTop10" (mean of the 10 largest squared bin errors) or { topK }. Default "mse". */
  loss?: LossSpec;
  /** Adam learning rate; default 1e-3. */
  learningRate?: number;
  /** Seed of the initialisers and of the row orders; default 42. */
  seed?: number;
}

export interface FitOptions {
  epochs?: number;
  batchSize?: number;
  /** Fraction of rows (seeded) held out for the validation loss; default 0. */
  validationSplit?: number;
  /** Validation rows instead of a split. */
  validationData?: ModelInput;
  /** Seeded reshuffle every epoch; default true. */
  shuffle?: boolean;
  /** Seed of the split and the row orders; default the model's seed. */
  seed?: number;
  /** true for the defaults (patience 5, best weights restored), or settings. */
  earlyStopping?: boolean | EarlyStopping;
  /** Live progress and loss curve in the cell output; default true. */
  progress?: boolean;
  /** Called after every epoch. */
  onEpoch?: (e: EpochLog) => void;
  /**
   * "fast" (the default for the dense autoencoder): the library's own training step (fused dense
   * ops, a written-out backward pass, Adam in one loop per variable; see steps/); "layers":
   * the layers model's `fit`. Both use the same row orders, validation split and early stopping;
   * each keeps its own Adam state across fits.
   */
  trainer?: TrainerKind;
  /**
   * The fast trainer's step: "graph" (the whole step as one TensorFlow graph, one native call per
   * batch; native backend only, and its default there; see steps/graph-step.ts) or "kernels" (one
   * tfjs kernel per operation; the default on the other backends).
   */
  step?: FastStep;
}

export type TrainerKind = "fast" | "layers";
export type FastStep = StepKind;

/** The history of a fit: the epoch runner's result, the loss curves and what trained. */
export interface History extends TrainResult {
  loss: number[];
  valLoss: number[] | null;
  backend: string;
  /** Which trainer ran (see FitOptions.trainer). */
  trainer: TrainerKind;
  /** Which step it ran: the fast trainer's (see FitOptions.step), or "fit" for the layers fit. */
  step: FastStep | "fit";
}

interface Resolved {
  inputDim: number;
  hidden: number[];
  decoder: number[];
  activations: Activation[];
  outputActivation: Activation;
  loss: LossSpec;
  learningRate: number;
  seed: number;
}

function resolve(o: AutoencoderOptions): Resolved {
  if (!(Number.isInteger(o.inputDim) && o.inputDim >= 1))
    throw new RangeError(`inputDim must be a positive integer, got ${o.inputDim}`);
  if (!Array.isArray(o.hidden) || o.hidden.length === 0)
    throw new RangeError("hidden must list at least one layer width, e.g. [64, 16]");
  const decoder = o.decoder ?? o.hidden.slice(0, -1).reverse();
  for (const w of [...o.hidden, ...decoder])
    if (!(Number.isInteger(w) && w >= 1))
      throw new RangeError(`layer widths must be positive integers, got ${w}`);
  const layers = o.hidden.length + decoder.length;
  let activations: Activation[];
  const a = o.activation ?? "relu";
  if (!Array.isArray(a)) activations = Array(layers).fill(a);
  else if (a.length === layers) activations = a;
  else if (a.length === o.hidden.length && !o.decoder) activations = [...a, ...a.slice(0, -1).reverse()];
  else throw new RangeError(`activation lists ${a.length} entries for ${layers} hidden layers`);
  return {
    inputDim: o.inputDim,
    hidden: [...o.hidden],
    decoder,
    activations,
    outputActivation: o.outputActivation ?? "linear",
    loss: parseLoss(o.loss ?? "mse"),
    learningRate: o.learningRate ?? 1e-3,
    seed: o.seed ?? 42,
  };
}

function buildModel(r: Resolved): tf.Sequential {
  const model = tf.sequential({ name: "autoencoder" });
  const widths = [...r.hidden, ...r.decoder];
  widths.forEach((units, i) => {
    const name =
      i < r.hidden.length - 1
        ? `encoder_${i + 1}`
        : i === r.hidden.length - 1
          ? "bottleneck"
          : `decoder_${i - r.hidden.length + 1}`;
    model.add(
      tf.layers.dense({
        name,
        units,
        activation: r.activations[i],
        inputShape: i === 0 ? [r.inputDim] : undefined,
        kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(r.seed, i) }),
        biasInitializer: "zeros",
      }),
    );
  });
  model.add(
    tf.layers.dense({
      name: "output",
      units: r.inputDim,
      activation: r.outputActivation,
      kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(r.seed, widths.length) }),
      biasInitializer: "zeros",
    }),
  );
  return model;
}

const lossChart = (epochs: readonly EpochLog[]) => {
  const spec = lossCurve({
    loss: epochs.map((e) => e.loss),
    valLoss: epochs[0]?.valLoss === null ? null : epochs.map((e) => e.valLoss ?? NaN),
  });
  return { [VEGA_LITE_MIME]: spec, "text/plain": "[Vega-Lite chart: training loss]" };
};

export class Autoencoder {
  readonly options: Readonly<Resolved>;
  private net: tf.LayersModel | null = null;
  /** The history of the last fit. */
  history: History | null = null;
  /** A scaler saved and loaded with the model (set it before save to keep it together). */
  scaler: MinMaxScaler | null = null;
  /**
   * The fast trainer's step, kept across fits with what it owns (Adam's moments; the graph step's
   * TensorFlow session, which costs 20-70 ms to make); released by dispose().
   */
  private step: TrainStep | null = null;

  constructor(options: AutoencoderOptions) {
    this.options = Object.freeze(resolve(options));
  }

  /** The tfjs model (built on first fit; throws before). */
  get model(): tf.LayersModel {
    if (!this.net) throw new Error("the model is not built yet: call fit() or load a saved model first");
    return this.net;
  }

  get trained(): boolean {
    return this.net !== null;
  }

  private compile(model: tf.LayersModel): void {
    model.compile({
      optimizer: tf.train.adam(this.options.learningRate),
      loss: lossFunction(this.options.loss),
    });
  }

  /** Builds (once) and trains on `x`; resolves to the loss history. */
  async fit(x: ModelInput, opts: FitOptions = {}): Promise<History> {
    const choice: BackendChoice = await backend();
    const [rows, cols] = inputShape(x);
    if (cols !== this.options.inputDim)
      throw new RangeError(`the model takes ${this.options.inputDim} bins per row, x has ${cols}`);
    if (!this.net) {
      this.net = buildModel(this.options);
      this.compile(this.net);
    }
    const epochs = opts.epochs ?? 30;
    const batchSize = opts.batchSize ?? 256;
    const kind = opts.trainer ?? "fast";
    if (kind !== "fast" && kind !== "layers")
      throw new RangeError(`trainer must be "fast" or "layers", got '${String(kind)}'`);
    if (opts.step !== undefined && opts.step !== "graph" && opts.step !== "kernels")
      throw new RangeError(`step must be "graph" or "kernels", got '${String(opts.step)}'`);
    if (opts.step !== undefined && kind !== "fast")
      throw new RangeError(`step applies to the fast trainer only, not to trainer "${kind}"`);
    const owned: tf.Tensor[] = [];
    let stepName: FastStep | "fit" = "fit";
    try {
      let runner: RunnerFactory;
      if (kind === "fast") {
        this.step = chooseStep(
          this.net,
          { loss: this.options.loss, learningRate: this.options.learningRate },
          opts.step,
          this.step,
        );
        stepName = this.step.kind;
        const val = opts.validationData ? matrixValues(opts.validationData, cols, "validationData") : null;
        runner = stepRunner(this.step, matrixValues(x, cols, "x"), cols, val, batchSize);
      } else {
        const input = toTensor(x);
        if (input.owned) owned.push(input.tensor);
        const val = opts.validationData ? toTensor(opts.validationData) : null;
        if (val?.owned) owned.push(val.tensor);
        runner = layersRunner(this.net, input.tensor, val?.tensor ?? null, batchSize);
      }
      const progress =
        (opts.progress ?? true)
          ? new FitProgress(epochs, {
              title: `autoencoder (${choice.backend}${stepName === "fit" ? ", layers fit" : stepName === "graph" ? ", graph step" : ""})`,
              chart: lossChart,
            })
          : null;
      const r = await train(
        this.net,
        rows,
        {
          epochs,
          batchSize,
          validationSplit: opts.validationSplit ?? 0,
          explicitValidation: opts.validationData !== undefined,
          seed: opts.seed ?? this.options.seed,
          shuffle: opts.shuffle ?? true,
          earlyStopping: opts.earlyStopping === true ? {} : opts.earlyStopping || null,
          onEpoch: (e) => {
            progress?.epoch(e);
            opts.onEpoch?.(e);
          },
        },
        runner,
      );
      const hasVal = r.epochs.length > 0 && r.epochs[0].valLoss !== null;
      this.history = {
        loss: r.epochs.map((e) => e.loss),
        valLoss: hasVal ? r.epochs.map((e) => e.valLoss as number) : null,
        ...r,
        backend: choice.backend,
        trainer: kind,
        step: stepName,
      };
      progress?.done(r.stoppedEarly ? `(stopped early; weights of epoch ${r.bestEpoch})` : "");
      return this.history;
    } finally {
      owned.forEach((t) => t.dispose());
    }
  }

  private batches(
    x: ModelInput,
    batchSize: number,
    each: (xb: tf.Tensor2D, start: number, model: tf.LayersModel) => void,
  ): void {
    const [rows, cols] = inputShape(x);
    if (cols !== this.options.inputDim)
      throw new RangeError(`the model takes ${this.options.inputDim} bins per row, x has ${cols}`);
    const model = this.model; // throws when not built
    for (let start = 0; start < rows; start += batchSize) {
      const end = Math.min(rows, start + batchSize);
      tf.tidy(() => {
        const xb = isTensor(x)
          ? (x.slice([start, 0], [end - start, cols]) as tf.Tensor2D)
          : tf.tensor2d(x.values.subarray(start * cols, end * cols), [end - start, cols], "float32");
        each(xb, start, model);
      });
    }
  }

  /** Reconstructions, row-major like the input; predicted in large batches (default 8192 rows). */
  predict(x: ModelInput, opts: { batchSize?: number } = {}): Float32Array {
    const [rows, cols] = inputShape(x);
    const out = new Float32Array(rows * cols);
    this.batches(x, opts.batchSize ?? 8192, (xb, start, model) => {
      out.set((model.predict(xb) as tf.Tensor).dataSync() as Float32Array, start * cols);
    });
    return out;
  }

  /**
   * The anomaly score of every row: its reconstruction error under the training loss (or `loss`),
   * computed in large batches (default 8192 rows).
   */
  score(x: ModelInput, opts: { batchSize?: number; loss?: LossSpec } = {}): Float32Array {
    const [rows] = inputShape(x);
    const out = new Float32Array(rows);
    const fn = lossFunction(opts.loss ? parseLoss(opts.loss) : this.options.loss);
    this.batches(x, opts.batchSize ?? 8192, (xb, start, model) => {
      const pred = model.predict(xb) as tf.Tensor;
      out.set(fn(xb, pred).dataSync() as Float32Array, start);
    });
    return out;
  }

  /** Writes model.json + weights.bin (+ options, history and scaler) to `dir`. */
  async save(dir: string): Promise<void> {
    await saveModel(this.model, dir, {
      dqmPlayground: {
        kind: "autoencoder",
        version: VERSION,
        options: { ...this.options, loss: this.options.loss },
        history: this.history
          ? { loss: this.history.loss, valLoss: this.history.valLoss, bestEpoch: this.history.bestEpoch }
          : null,
        scaler: this.scaler ? this.scaler.toJSON() : null,
      },
    });
  }

  /** Loads a folder written by `save`. */
  static async load(dir: string): Promise<Autoencoder> {
    await backend();
    const { model, metadata } = await loadModel(dir);
    const meta = metadata.dqmPlayground as
      | {
          kind?: string;
          options?: Resolved;
          scaler?: MinMaxScalerJSON | null;
          history?: { loss: number[]; valLoss: number[] | null; bestEpoch: number } | null;
        }
      | undefined;
    if (!meta || meta.kind !== "autoencoder" || !meta.options) {
      model.dispose();
      throw new Error(
        `${dir} holds a tfjs model but not a DQM Playground autoencoder (no dqmPlayground metadata)`,
      );
    }
    const ae = new Autoencoder({ ...meta.options, activation: meta.options.activations });
    ae.net = model;
    ae.compile(model);
    if (meta.scaler) ae.scaler = MinMaxScaler.fromJSON(meta.scaler);
    if (meta.history)
      ae.history = {
        ...meta.history,
        epochs: [],
        stoppedEarly: false,
        seconds: 0,
        backend: tf.getBackend(),
        trainer: "fast",
        step: "kernels",
      };
    return ae;
  }

  /** Layer widths and parameter count, as text. */
  summary(): string {
    const o = this.options;
    const widths = [o.inputDim, ...o.hidden, ...o.decoder, o.inputDim];
    const params = widths.slice(1).reduce((a, w, i) => a + (widths[i] + 1) * w, 0);
    return `autoencoder ${widths.join(" -> ")} (${params} parameters), ${o.activations[0]}${new Set(o.activations).size > 1 ? "/..." : ""} hidden, ${o.outputActivation} output, loss ${lossName(o.loss)}, seed ${o.seed}`;
  }

  toString(): string {
    return this.summary();
  }

  dispose(): void {
    this.net?.dispose();
    this.net = null;
    this.step?.dispose();
    this.step = null;
  }
}

/** A dense autoencoder (see AutoencoderOptions). */
export function autoencoder(options: AutoencoderOptions): Autoencoder {
  return new Autoencoder(options);
}

/** Loads a saved autoencoder folder. */
export function load(dir: string): Promise<Autoencoder> {
  return Autoencoder.load(dir);
}
