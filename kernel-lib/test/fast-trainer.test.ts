import { backend, display, models, tf, type MatrixLike } from "../src/index";
import { newAdamState } from "../src/models/training/contract";
import { gatherRows, meanLoss } from "../src/models/training/epoch-runner";
import { denseLayers } from "../src/models/steps/dense-layers";
import { adamUpdate, KernelStep } from "../src/models/steps/kernel-step";
import { kthLargest, topKLossGrad } from "../src/models/losses";
import type { Activation, FitOptions } from "../src/models";
import { bumps, maxRelDiff } from "./helpers/training";

const x = bumps(240, 20, 1);
const quiet = { progress: false } as const;

async function bothTrainers(
  options: Parameters<typeof models.autoencoder>[0],
  fit: FitOptions,
  data: MatrixLike = x,
): Promise<{
  fast: models.History;
  layers: models.History;
  fastAe: models.Autoencoder;
  ref: models.Autoencoder;
}> {
  const fastAe = models.autoencoder(options);
  const ref = models.autoencoder(options);
  // the kernel step on every backend (graph-trainer.test.ts covers the native graph step)
  const fast = await fastAe.fit(data, { ...quiet, ...fit, trainer: "fast", step: "kernels" });
  const layers = await ref.fit(data, { ...quiet, ...fit, trainer: "layers" });
  return { fast, layers, fastAe, ref };
}

beforeAll(async () => {
  await backend();
  display.setSink(display.recordingSink());
});
afterAll(() => display.setSink(null));

describe("fast trainer: the same training as model.fit", () => {
  test("loss and validation curves match the layers fit from the same seed (relu, sigmoid output, mse)", async () => {
    const { fast, layers, fastAe, ref } = await bothTrainers(
      { inputDim: 20, hidden: [16, 4], outputActivation: "sigmoid", seed: 11, learningRate: 0.01 },
      { epochs: 10, batchSize: 32, validationSplit: 0.25 },
    );
    expect(fast.trainer).toBe("fast");
    expect(fast.step).toBe("kernels");
    expect(layers.trainer).toBe("layers");
    expect(layers.step).toBe("fit");
    expect(fast.loss[9]).toBeLessThan(fast.loss[0] * 0.7);
    expect(maxRelDiff(fast.loss, layers.loss)).toBeLessThan(1e-4);
    expect(maxRelDiff(fast.valLoss!, layers.valLoss!)).toBeLessThan(1e-4);
    // the layers model holds the trained weights: predictions agree
    const a = fastAe.predict(x);
    const b = ref.predict(x);
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThan(1e-4);
    fastAe.dispose();
    ref.dispose();
  });

  test.each<[string, Activation, Activation, models.LossSpec]>([
    ["tanh with mseTop10", "tanh", "linear", "mseTop10"],
    ["elu with mseTop5", "elu", "sigmoid", { topK: 5 }],
    ["selu", "selu", "linear", "mse"],
    ["softplus", "softplus", "sigmoid", "mse"],
    ["swish", "swish", "linear", "mse"],
    ["relu6 with mseTop10", "relu6", "relu", "mseTop10"],
  ])("%s: the loss curve matches", async (_name, activation, outputActivation, loss) => {
    const { fast, layers, fastAe, ref } = await bothTrainers(
      { inputDim: 20, hidden: [12, 5], activation, outputActivation, loss, seed: 4, learningRate: 0.01 },
      { epochs: 5, batchSize: 48 },
    );
    expect(maxRelDiff(fast.loss, layers.loss)).toBeLessThan(1e-3);
    fastAe.dispose();
    ref.dispose();
  });

  test("early stopping stops at the same epoch and restores the same best weights", async () => {
    const fit: FitOptions = {
      epochs: 40,
      batchSize: 64,
      validationSplit: 0.25,
      earlyStopping: { patience: 2, minDelta: 1e-3 },
    };
    const { fast, layers, fastAe, ref } = await bothTrainers(
      { inputDim: 20, hidden: [8], loss: "mseTop10", activation: "tanh", seed: 3, learningRate: 0.05 },
      fit,
    );
    expect(fast.stoppedEarly).toBe(true);
    expect(fast.loss.length).toBe(layers.loss.length);
    expect(fast.bestEpoch).toBe(layers.bestEpoch);
    expect(fast.bestEpoch).toBeLessThan(fast.loss.length);
    const a = fastAe.score(x);
    const b = ref.score(x);
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 4));
    fastAe.dispose();
    ref.dispose();
  });

  test("a second fit goes on from the first (weights and Adam moments), like the layers fit", async () => {
    const options = { inputDim: 20, hidden: [10, 3], seed: 9, learningRate: 0.02 };
    const { fastAe, ref } = await bothTrainers(options, { epochs: 3, batchSize: 40 });
    const second = await fastAe.fit(x, { ...quiet, epochs: 3, batchSize: 40, seed: 5, step: "kernels" });
    const secondRef = await ref.fit(x, { ...quiet, epochs: 3, batchSize: 40, seed: 5, trainer: "layers" });
    expect(maxRelDiff(second.loss, secondRef.loss)).toBeLessThan(1e-4);
    fastAe.dispose();
    ref.dispose();
  });

  test("explicit validation data, tensor inputs and no shuffling", async () => {
    const val = bumps(30, 20, 7);
    const t = tf.tensor2d(x.values, [240, 20]);
    const { fast, layers, fastAe, ref } = await bothTrainers(
      { inputDim: 20, hidden: [6], seed: 2, learningRate: 0.01 },
      { epochs: 3, batchSize: 50, validationData: val, shuffle: false },
    );
    expect(maxRelDiff(fast.valLoss!, layers.valLoss!)).toBeLessThan(1e-4);
    const fromTensor = models.autoencoder({ inputDim: 20, hidden: [6], seed: 2, learningRate: 0.01 });
    const h = await fromTensor.fit(t, {
      ...quiet,
      epochs: 3,
      batchSize: 50,
      validationData: val,
      shuffle: false,
      step: "kernels",
    });
    expect(h.loss).toEqual(fast.loss);
    t.dispose();
    [fastAe, ref, fromTensor].forEach((m) => m.dispose());
  });

  test.each<[Activation, models.LossSpec]>([
    ["sigmoid", "mse"],
    ["linear", "mseTop10"],
    ["relu", "mse"],
    ["tanh", { topK: 3 }],
    ["elu", "mse"],
    ["selu", "mse"],
    ["softplus", "mseTop10"],
    ["relu6", "mse"],
  ])("output %s, loss %j: the JavaScript and the tensor output gradients agree", (outputActivation, loss) => {
    const ae = models.autoencoder({ inputDim: 20, hidden: [8], outputActivation, seed: 6 });
    const model = buildModel(ae);
    const o = { loss, learningRate: 0.01 };
    const a = new KernelStep(model, { ...o, outputGradient: "js" });
    const b = new KernelStep(model, { ...o, outputGradient: "tensors" });
    const batch = x.values.subarray(0, 40 * 20);
    for (let i = 0; i < 3; i++) expect(a.trainBatch(batch, 40)).toBeCloseTo(b.trainBatch(batch, 40), 4);
    a.params.forEach((p, k) => p.forEach((v, i) => expect(v).toBeCloseTo(b.params[k][i], 5)));
    a.dispose();
    b.dispose();
    model.dispose();
  });

  test("transpose flags and explicit transposes give the same step", () => {
    const ae = models.autoencoder({ inputDim: 20, hidden: [16, 4], outputActivation: "sigmoid", seed: 1 });
    const model = buildModel(ae);
    const a = new KernelStep(model, { loss: "mse", learningRate: 0.01, explicitTranspose: true });
    const b = new KernelStep(model, { loss: "mse", learningRate: 0.01, explicitTranspose: false });
    const batch = x.values.subarray(0, 32 * 20);
    for (let i = 0; i < 3; i++) expect(a.trainBatch(batch, 32)).toBeCloseTo(b.trainBatch(batch, 32), 5);
    a.params.forEach((p, k) => p.forEach((v, i) => expect(v).toBeCloseTo(b.params[k][i], 5)));
    expect(meanLoss(a, x.values, 20)).toBeCloseTo(meanLoss(b, x.values, 20), 5);
    a.dispose();
    b.dispose();
    model.dispose();
  });
});

/** The autoencoder's layers model, built by a one-step fit and then reset to its seeded weights. */
function buildModel(ae: models.Autoencoder): tf.LayersModel {
  const o = ae.options;
  const model = tf.sequential();
  [...o.hidden, ...o.decoder].forEach((units, i) =>
    model.add(
      tf.layers.dense({
        units,
        activation: o.activations[i],
        inputShape: i === 0 ? [o.inputDim] : undefined,
        kernelInitializer: tf.initializers.glorotUniform({ seed: 100 + i }),
      }),
    ),
  );
  model.add(tf.layers.dense({ units: o.inputDim, activation: o.outputActivation }));
  return model;
}

describe("fast trainer: resources and kernels", () => {
  test("no tensor leaks: the tensor count is the same after every epoch and back after the fit", async () => {
    const ae = models.autoencoder({ inputDim: 20, hidden: [16, 4], loss: "mseTop10", seed: 1 });
    await ae.fit(x, { ...quiet, epochs: 1, batchSize: 32 }); // builds the model
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    await ae.fit(x, {
      ...quiet,
      epochs: 6,
      batchSize: 32,
      validationSplit: 0.2,
      onEpoch: () => counts.push(tf.memory().numTensors),
    });
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    ae.dispose();
  });

  test("the kernel step lives across fits, and its tensors go with its dispose", async () => {
    const ae = models.autoencoder({
      inputDim: 20,
      hidden: [8],
      activation: "tanh",
      loss: "mseTop10",
      seed: 1,
    });
    await ae.fit(x, { ...quiet, epochs: 1, batchSize: 50, step: "kernels" }); // batches of 50 and 40 rows
    const afterFirst = tf.memory().numTensors;
    await ae.fit(x, { ...quiet, epochs: 1, batchSize: 50, step: "kernels" });
    expect(tf.memory().numTensors).toBe(afterFirst); // the same step and constants, nothing new
    ae.dispose();
    const model = buildModel(models.autoencoder({ inputDim: 20, hidden: [8], activation: "tanh", seed: 1 }));
    const before = tf.memory().numTensors;
    const step = new KernelStep(model, { loss: "mseTop10", learningRate: 1e-3, explicitTranspose: true });
    step.trainBatch(x.values, 50);
    step.trainBatch(x.values, 40);
    expect(tf.memory().numTensors).toBeGreaterThan(before); // its constants, kept for the next batches
    step.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  test("kernels per training step: about 30 instead of about 200 (counted, not timed)", async () => {
    const rows = 240;
    const batchSize = 30;
    const steps = rows / batchSize;
    const data = { values: x.values.subarray(0, rows * 20), shape: [rows, 20] as [number, number] };
    const perStep = async (trainer: "fast" | "layers"): Promise<number> => {
      const ae = models.autoencoder({ inputDim: 20, hidden: [16, 4], outputActivation: "sigmoid" });
      const step = trainer === "fast" ? ("kernels" as const) : undefined;
      await ae.fit(data, { ...quiet, epochs: 1, batchSize, trainer, step }); // builds the model and optimizer
      const info = await tf.profile(async () => {
        await ae.fit(data, { ...quiet, epochs: 1, batchSize, trainer, step });
      });
      ae.dispose();
      return info.kernels.length / steps;
    };
    const fast = await perStep("fast");
    const layers = await perStep("layers");
    expect(fast).toBeLessThanOrEqual(40);
    expect(layers).toBeGreaterThan(150);
    expect(layers / fast).toBeGreaterThan(5);
  });

  test("errors: unknown trainer, models the fast trainer cannot train", async () => {
    const ae = models.autoencoder({ inputDim: 20, hidden: [4] });
    await expect(ae.fit(x, { ...quiet, trainer: "keras" as "fast" })).rejects.toThrow(
      `trainer must be "fast" or "layers", got 'keras'`,
    );
    ae.dispose();
    const withDropout = tf.sequential({
      layers: [
        tf.layers.dense({ units: 4, inputShape: [20], name: "enc" }),
        tf.layers.dropout({ rate: 0.1, name: "drop" }),
        tf.layers.dense({ units: 20 }),
      ],
    });
    expect(denseLayers(withDropout)).toEqual({ reason: "layer 'drop' is a Dropout, not Dense" });
    expect(() => new KernelStep(withDropout, { loss: "mse", learningRate: 1e-3 })).toThrow(
      "the fast trainer cannot train this model: layer 'drop' is a Dropout, not Dense",
    );
    const noBias = tf.sequential({
      layers: [tf.layers.dense({ units: 4, inputShape: [20], useBias: false, name: "nb" })],
    });
    expect(denseLayers(noBias)).toEqual({ reason: "layer 'nb' has no bias" });
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 20, inputShape: [20] })] });
    expect(() => new KernelStep(model, { loss: "mse", learningRate: 1e-3 }, newAdamState([3]))).toThrow(
      "the saved Adam state does not match the model's weights",
    );
    expect(() =>
      new KernelStep(model, { loss: "mse", learningRate: 1e-3 }).trainBatch(new Float32Array(10), 2),
    ).toThrow("a batch of 2 rows needs 40 values");
    [withDropout, noBias, model].forEach((m) => m.dispose());
  });
});

describe("fast trainer: pieces", () => {
  test("adamUpdate is tf.train.adam's update", () => {
    const p0 = [0.5, -1, 2, 0];
    const grads = [
      [0.1, -0.2, 0.3, 0],
      [1, 2, -3, 0.5],
      [-0.01, 0.02, 0, 4],
    ];
    const v = tf.variable(tf.tensor1d(p0));
    const opt = tf.train.adam(0.01);
    const p = Float32Array.from(p0);
    const state = newAdamState([4]);
    for (const g of grads) {
      opt.applyGradients([{ name: v.name, tensor: tf.tensor1d(g) }]);
      state.t += 1;
      // the gradient given at half scale: scale 2 restores it
      adamUpdate(
        p,
        g.map((e) => e / 2),
        state.m[0],
        state.v[0],
        {
          lr: 0.01,
          beta1: 0.9,
          beta2: 0.999,
          epsilon: tf.backend().epsilon(),
          t: state.t,
          scale: 2,
        },
      );
    }
    const ref = v.dataSync();
    p.forEach((e, i) => expect(e).toBeCloseTo(ref[i], 6));
    v.dispose();
    opt.dispose();
  });

  test("kthLargest agrees with sorting, ties included (heap for small k, quickselect for large k)", () => {
    const rnd = models.seededRandom(3);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(rnd() * 80);
      const a = Float32Array.from({ length: n }, () => Math.floor(rnd() * 6) / 2);
      const sorted = Array.from(a).sort((p, q) => q - p);
      const k = 1 + Math.floor(rnd() * n);
      const copy = Float32Array.from(a);
      expect(kthLargest(copy, n, k)).toBe(sorted[k - 1]);
      expect(copy).toEqual(a);
    }
  });

  test("topKLossGrad: the value and gradient of models.mseTopK, ties included", () => {
    const rows = 6;
    const cols = 12;
    const rnd = models.seededRandom(8);
    const yTrue = Float32Array.from({ length: rows * cols }, () => rnd());
    const yPred = Float32Array.from({ length: rows * cols }, (_, i) =>
      i < cols ? yTrue[i] + 1 : i < 2 * cols ? yTrue[i] + (i % 3 === 0 ? 0.5 : 0) : rnd(),
    );
    const diff = yPred.map((p, i) => p - yTrue[i]);
    for (const k of [1, 4, 10, 20]) {
      const grad = new Float32Array(rows * cols);
      const total = topKLossGrad(diff, rows, cols, k, grad);
      const t = tf.tensor2d(yTrue, [rows, cols]);
      const fn = models.mseTopK(k);
      const { value, grad: g } = tf.valueAndGrad((p: tf.Tensor) => tf.sum(fn(t, p)))(
        tf.tensor2d(yPred, [rows, cols]),
      );
      expect(total).toBeCloseTo(value.dataSync()[0], 5);
      const ref = g.dataSync();
      grad.forEach((e, i) => expect(e).toBeCloseTo(ref[i], 5));
      expect(topKLossGrad(diff, rows, cols, k, null)).toBe(total);
      tf.dispose([t, value, g]);
    }
  });

  test("gatherRows copies rows in order", () => {
    const src = Float32Array.from({ length: 12 }, (_, i) => i); // 4 rows of 3
    const out = new Float32Array(9);
    gatherRows(src, 3, Int32Array.from([3, 0, 2, 1]), 1, 4, out);
    expect(Array.from(out)).toEqual([0, 1, 2, 6, 7, 8, 3, 4, 5]);
  });
});
