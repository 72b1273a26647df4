/**
 * The graph training step (src/models/steps/graph-step.ts and steps/graph/): the whole step as one
 * TensorFlow graph, run in a session of the native backend. It must train exactly as the kernel step
 * (KernelStep) and the layers fit do, leak neither tensors nor sessions, and be what `fit` uses on the
 * native backend.
 * Needs the native backend (`npm run setup:tensorflow`; `npm test` builds it).
 */
import { backend, display, models, tf } from "../src/index";
import { newAdamState } from "../src/models/training/contract";
import { KernelStep } from "../src/models/steps/kernel-step";
import { GraphStep } from "../src/models/steps/graph-step";
import { GraphBuilder } from "../src/models/steps/graph/graph-def";
import { parameterLayout, trainStepGraph } from "../src/models/steps/graph/train-step-graph";
import type { Activation, FitOptions } from "../src/models";
import { describeNative } from "./helpers/native";
import { bumps, maxAbsDiff, maxRelDiff } from "./helpers/training";

const x = bumps(240, 20, 1);
const quiet = { progress: false } as const;

/** The number of SavedModel sessions tfjs-node holds. */
function sessions(): number {
  return (tf.backend() as unknown as { getNumOfSavedModels(): number }).getNumOfSavedModels();
}

/** Trains two copies of the same autoencoder, one with each fast step. */
async function bothSteps(
  options: Parameters<typeof models.autoencoder>[0],
  fit: FitOptions,
): Promise<{ graph: models.History; kernels: models.History; a: models.Autoencoder; b: models.Autoencoder }> {
  const a = models.autoencoder(options);
  const b = models.autoencoder(options);
  const graph = await a.fit(x, { ...quiet, ...fit, step: "graph" });
  const kernels = await b.fit(x, { ...quiet, ...fit, step: "kernels" });
  return { graph, kernels, a, b };
}

describe("graph step: pieces that need no TensorFlow", () => {
  test("the parameter layout is kernel then bias per layer, concatenated", () => {
    const layers = [
      { inputDim: 5, units: 3, activation: "relu" as const },
      { inputDim: 3, units: 5, activation: "sigmoid" as const },
    ];
    expect(parameterLayout(layers)).toEqual({ offsets: [0, 15, 18, 33], sizes: [15, 3, 15, 5], total: 38 });
  });

  test("a node name used twice is an error, and the step graph names its feeds and fetches", () => {
    const g = new GraphBuilder();
    g.placeholder("x", "float32", [-1, 4]);
    expect(() => g.placeholder("x", "float32", [2])).toThrow("graph node 'x' defined twice");
    const step = trainStepGraph({
      layers: [
        { inputDim: 4, units: 2, activation: "relu" },
        { inputDim: 2, units: 4, activation: "sigmoid" },
      ],
      topK: null,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
    });
    const names = step.nodes.map((n) => n.name);
    for (const name of ["x", "params", "m", "v", "coef", "loss_sum", "params_next", "m_next", "v_next"])
      expect(names).toContain(name);
    expect(step.nodes.find((n) => n.name === "x")?.op).toBe("Placeholder");
  });

  test("errors: the graph step off the native backend, an unknown step, a step for the layers fit", async () => {
    await backend({ force: "cpu" });
    const ae = models.autoencoder({ inputDim: 20, hidden: [4] });
    await expect(ae.fit(x, { ...quiet, epochs: 1, step: "graph" })).rejects.toThrow(
      "the graph training step is unavailable: it needs the native TensorFlow backend (the active backend is 'cpu')",
    );
    await expect(ae.fit(x, { ...quiet, epochs: 1, step: "eager" as "graph" })).rejects.toThrow(
      `step must be "graph" or "kernels", got 'eager'`,
    );
    await expect(ae.fit(x, { ...quiet, epochs: 1, trainer: "layers", step: "graph" })).rejects.toThrow(
      `step applies to the fast trainer only, not to trainer "layers"`,
    );
    const h = await ae.fit(x, { ...quiet, epochs: 1 });
    expect(h.step).toBe("kernels"); // the default off the native backend
    ae.dispose();
  });
});

describeNative("the graph step's tests are")("graph step on the native backend", () => {
  beforeAll(async () => {
    await backend({ force: "tensorflow" });
    display.setSink(display.recordingSink());
  });
  afterAll(() => display.setSink(null));

  test("is the default on the native backend, and trains as the kernel step and the layers fit do", async () => {
    const options = { inputDim: 20, hidden: [16, 4], outputActivation: "sigmoid" as const, seed: 11 };
    const fit = { epochs: 8, batchSize: 32, validationSplit: 0.25 };
    const byDefault = models.autoencoder({ ...options, learningRate: 0.01 });
    const layersAe = models.autoencoder({ ...options, learningRate: 0.01 });
    const graph = await byDefault.fit(x, { ...quiet, ...fit });
    const layers = await layersAe.fit(x, { ...quiet, ...fit, trainer: "layers" });
    expect(tf.getBackend()).toBe("tensorflow");
    expect(graph.step).toBe("graph");
    expect(graph.trainer).toBe("fast");
    expect(graph.loss[7]).toBeLessThan(graph.loss[0] * 0.7);
    expect(maxRelDiff(graph.loss, layers.loss)).toBeLessThan(1e-4);
    expect(maxRelDiff(graph.valLoss!, layers.valLoss!)).toBeLessThan(1e-4);
    // the layers model holds the trained weights
    expect(maxAbsDiff(byDefault.predict(x), layersAe.predict(x))).toBeLessThan(1e-4);
    byDefault.dispose();
    layersAe.dispose();
  });

  test.each<[string, Activation, Activation, models.LossSpec]>([
    ["relu, sigmoid output, mse", "relu", "sigmoid", "mse"],
    ["tanh with mseTop10", "tanh", "linear", "mseTop10"],
    ["elu with mseTop5", "elu", "sigmoid", { topK: 5 }],
    ["selu", "selu", "linear", "mse"],
    ["softplus", "softplus", "sigmoid", "mse"],
    ["swish", "swish", "swish", "mse"],
    ["relu6 with mseTop10, relu output", "relu6", "relu", "mseTop10"],
  ])(
    "%s: the loss curve and weights match the kernel step's",
    async (_n, activation, outputActivation, loss) => {
      const { graph, kernels, a, b } = await bothSteps(
        { inputDim: 20, hidden: [12, 5], activation, outputActivation, loss, seed: 4, learningRate: 0.01 },
        { epochs: 5, batchSize: 48 },
      );
      expect(graph.step).toBe("graph");
      expect(kernels.step).toBe("kernels");
      expect(maxRelDiff(graph.loss, kernels.loss)).toBeLessThan(1e-4);
      const wa = a.model.getWeights().map((w) => w.dataSync());
      const wb = b.model.getWeights().map((w) => w.dataSync());
      wa.forEach((w, i) => expect(maxAbsDiff(w, wb[i])).toBeLessThan(1e-4));
      a.dispose();
      b.dispose();
    },
  );

  test("a second fit goes on from the first: Adam's moments and step count carry over", async () => {
    const options = { inputDim: 20, hidden: [10, 3], seed: 9, learningRate: 0.02 };
    const { a, b } = await bothSteps(options, { epochs: 3, batchSize: 40 });
    const second = await a.fit(x, { ...quiet, epochs: 3, batchSize: 40, seed: 5, step: "graph" });
    const secondRef = await b.fit(x, { ...quiet, epochs: 3, batchSize: 40, seed: 5, step: "kernels" });
    expect(maxRelDiff(second.loss, secondRef.loss)).toBeLessThan(1e-4);
    a.dispose();
    b.dispose();
  });

  test("switching steps between fits: Adam's state goes on to the new step, the old step's session is released", async () => {
    const options = { inputDim: 20, hidden: [10, 3], seed: 9, learningRate: 0.02 };
    const sessionsBefore = sessions();
    const { a, b } = await bothSteps(options, { epochs: 3, batchSize: 40 }); // a: graph, b: kernels
    expect(sessions()).toBe(sessionsBefore + 1); // a's graph step holds one
    const second = await a.fit(x, { ...quiet, epochs: 3, batchSize: 40, seed: 5, step: "kernels" });
    expect(second.step).toBe("kernels");
    expect(sessions()).toBe(sessionsBefore); // released with the graph step it replaced
    const secondRef = await b.fit(x, { ...quiet, epochs: 3, batchSize: 40, seed: 5, step: "kernels" });
    expect(maxRelDiff(second.loss, secondRef.loss)).toBeLessThan(1e-4);
    const third = await b.fit(x, { ...quiet, epochs: 2, batchSize: 40, seed: 6, step: "graph" });
    const thirdRef = await a.fit(x, { ...quiet, epochs: 2, batchSize: 40, seed: 6, step: "kernels" });
    expect(maxRelDiff(third.loss, thirdRef.loss)).toBeLessThan(1e-4);
    expect(sessions()).toBe(sessionsBefore + 1);
    a.dispose();
    b.dispose();
    expect(sessions()).toBe(sessionsBefore);
  });

  test("one step by hand: the same loss, parameters and moments as KernelStep.trainBatch", () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 6, activation: "relu", inputShape: [20] }),
        tf.layers.dense({ units: 20, activation: "sigmoid" }),
      ],
    });
    const opts = { loss: "mseTop10" as const, learningRate: 0.05 };
    const sizes = model.getWeights().map((w) => w.size);
    const adamG = newAdamState(sizes);
    const adamK = newAdamState(sizes);
    const graph = new GraphStep(model, opts, adamG);
    const kernels = new KernelStep(model, opts, adamK);
    const rows = 30;
    const batch = x.values.subarray(0, rows * 20) as Float32Array;
    for (let s = 0; s < 3; s++) {
      const lg = graph.trainBatch(batch, rows);
      const lk = kernels.trainBatch(batch, rows);
      expect(Math.abs(lg - lk) / lk).toBeLessThan(1e-5);
    }
    expect(Math.abs(graph.lossSum(batch, rows) - kernels.lossSum(batch, rows))).toBeLessThan(1e-4);
    graph.push(); // writes the weights into the model and the moments into adamG
    const pushed = model.getWeights().map((w) => w.dataSync());
    pushed.forEach((p, k) => expect(maxAbsDiff(p, kernels.params[k])).toBeLessThan(1e-5));
    adamG.m.forEach((m, k) => expect(maxAbsDiff(m, adamK.m[k])).toBeLessThan(1e-6));
    adamG.v.forEach((v, k) => expect(maxAbsDiff(v, adamK.v[k])).toBeLessThan(1e-7));
    expect(adamG.t).toBe(3);
    graph.dispose();
    kernels.dispose();
    model.dispose();
  });

  test("no leaks: tensors steady across epochs; one session per autoencoder, kept across fits, released by dispose", async () => {
    const ae = models.autoencoder({ inputDim: 20, hidden: [16, 4], loss: "mseTop10", seed: 1 });
    await ae.fit(x, { ...quiet, epochs: 1, batchSize: 32 }); // builds the model
    const tensorsBefore = tf.memory().numTensors;
    const sessionsBefore = sessions();
    const counts: number[] = [];
    const during: number[] = [];
    await ae.fit(x, {
      ...quiet,
      epochs: 6,
      batchSize: 32,
      validationSplit: 0.2,
      onEpoch: () => {
        counts.push(tf.memory().numTensors);
        during.push(sessions());
      },
    });
    expect(new Set(counts).size).toBe(1);
    expect(during.every((n) => n === sessionsBefore)).toBe(true); // the first fit's session
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(sessions()).toBe(sessionsBefore);
    await ae.fit(x, { ...quiet, epochs: 1, batchSize: 32 });
    expect(sessions()).toBe(sessionsBefore);
    ae.dispose();
    expect(sessions()).toBe(sessionsBefore - 1);
  });

  test("errors: a disposed trainer, a short batch, a model it cannot train", () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 20, inputShape: [20] })] });
    const t = new GraphStep(model, { loss: "mse", learningRate: 1e-3 });
    expect(() => t.trainBatch(new Float32Array(10), 2)).toThrow("a batch of 2 rows needs 40 values");
    t.dispose();
    expect(() => t.trainBatch(new Float32Array(40), 2)).toThrow("the graph trainer has been disposed");
    const encoderOnly = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [20] })] });
    expect(() => new GraphStep(encoderOnly, { loss: "mse", learningRate: 1e-3 })).toThrow(
      "the fast trainer trains autoencoders: the model maps 20 inputs to 4 outputs",
    );
    expect(() => new GraphStep(model, { loss: "mse", learningRate: 1e-3 }, newAdamState([3]))).toThrow(
      "the saved Adam state does not match the model's weights",
    );
    model.dispose();
    encoderOnly.dispose();
  });
});
