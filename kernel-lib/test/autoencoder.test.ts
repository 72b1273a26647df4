import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { backend, display, models, MinMaxScaler, tf, VERSION, type MatrixLike } from "../src/index";

/** Gaussian bumps with a jittered centre, L1-normalised: a tiny stand-in for good histograms. */
function bumps(rows: number, bins: number, seed: number, flat = false): MatrixLike {
  const rnd = models.seededRandom(seed);
  const values = new Float32Array(rows * bins);
  for (let r = 0; r < rows; r++) {
    const c = bins / 2 + (rnd() - 0.5) * 3;
    let sum = 0;
    for (let i = 0; i < bins; i++) {
      const v = flat ? 1 : Math.exp(-((i - c) ** 2) / 8) + 0.01 * rnd();
      values[r * bins + i] = v;
      sum += v;
    }
    for (let i = 0; i < bins; i++) values[r * bins + i] /= sum;
  }
  return { values, shape: [rows, bins] };
}

const x = bumps(160, 20, 1);
const quiet = { progress: false } as const;

beforeAll(async () => {
  await backend();
  display.setSink(display.recordingSink());
});
afterAll(() => display.setSink(null));

describe("autoencoder", () => {
  test("training loss decreases, and the same seed gives the same losses and scores", async () => {
    const make = () => models.autoencoder({ inputDim: 20, hidden: [16, 4], seed: 7, learningRate: 0.01 });
    const a = make();
    const h = await a.fit(x, { epochs: 12, batchSize: 32, ...quiet });
    expect(h.loss).toHaveLength(12);
    expect(h.loss[11]).toBeLessThan(h.loss[0] * 0.5);
    expect(h.valLoss).toBeNull();
    expect(h.backend).toBe(tf.getBackend()); // wasm, or tensorflow where native TensorFlow loads
    const b = make();
    const h2 = await b.fit(x, { epochs: 12, batchSize: 32, ...quiet });
    expect(h2.loss).toEqual(h.loss);
    expect(Array.from(b.score(x))).toEqual(Array.from(a.score(x)));
    const c = models.autoencoder({ inputDim: 20, hidden: [16, 4], seed: 8, learningRate: 0.01 });
    const h3 = await c.fit(x, { epochs: 2, batchSize: 32, ...quiet });
    expect(h3.loss[0]).not.toEqual(h.loss[0]);
    // anomalous (flat) histograms score higher than the good bumps
    const good = a.score(bumps(20, 20, 99));
    const flat = a.score(bumps(5, 20, 5, true));
    expect(Math.min(...flat)).toBeGreaterThan(Math.max(...good));
    [a, b, c].forEach((m) => m.dispose());
  });

  test("mseTop10 training, validation split, early stopping with the best weights restored", async () => {
    const ae = models.autoencoder({
      inputDim: 20,
      hidden: [8],
      loss: "mseTop10",
      activation: "tanh",
      seed: 3,
      learningRate: 0.05,
    });
    expect(ae.options.decoder).toEqual([]);
    const h = await ae.fit(x, {
      epochs: 40,
      batchSize: 64,
      validationSplit: 0.25,
      earlyStopping: { patience: 2, minDelta: 1e-3 },
      ...quiet,
    });
    expect(h.valLoss).toHaveLength(h.loss.length);
    expect(h.stoppedEarly).toBe(true);
    expect(h.loss.length).toBeLessThan(40);
    expect(h.bestEpoch).toBeLessThanOrEqual(h.loss.length - 2);
    // scores use the training loss: mean of the 10 largest squared errors, one per row
    const s = ae.score(x);
    expect(s).toHaveLength(160);
    const rec = ae.predict({ values: x.values.subarray(0, 20), shape: [1, 20] });
    const sq = Array.from(rec, (v, i) => (v - x.values[i]) ** 2).sort((p, q) => q - p);
    expect(s[0]).toBeCloseTo(sq.slice(0, 10).reduce((p, q) => p + q, 0) / 10, 6);
    ae.dispose();
  });

  test("save and load give identical predictions, with options and scaler", async () => {
    const scaler = MinMaxScaler.fit(x);
    const xs = scaler.transform(x);
    const ae = models.autoencoder({
      inputDim: 20,
      hidden: [12, 3],
      activation: ["relu", "elu"],
      outputActivation: "sigmoid",
      seed: 5,
    });
    await ae.fit(xs, { epochs: 3, batchSize: 40, ...quiet });
    ae.scaler = scaler;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dqm-ae-"));
    try {
      await ae.save(dir);
      expect(fs.readdirSync(dir).sort()).toEqual(["model.json", "weights.bin"]);
      const json = JSON.parse(fs.readFileSync(path.join(dir, "model.json"), "utf8"));
      expect(json.userDefinedMetadata.dqmPlayground.version).toBe(VERSION);
      expect(json.weightsManifest[0].paths).toEqual(["./weights.bin"]);
      const back = await models.load(dir);
      expect(back.options).toEqual(ae.options);
      expect(back.summary()).toBe(ae.summary());
      expect(Array.from(back.predict(xs))).toEqual(Array.from(ae.predict(xs)));
      expect(Array.from(back.score(xs))).toEqual(Array.from(ae.score(xs)));
      expect(Array.from(back.scaler!.transform(x).values)).toEqual(Array.from(xs.values));
      expect(back.history!.loss).toEqual(ae.history!.loss);
      // a loaded model trains on
      await back.fit(xs, { epochs: 1, batchSize: 40, ...quiet });
      back.dispose();
      await expect(models.load(os.tmpdir())).rejects.toThrow(
        `no model.json in ${os.tmpdir()}: not a saved model folder`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      ae.dispose();
    }
  });

  test("tensor inputs, batching and errors", async () => {
    const ae = models.autoencoder({ inputDim: 20, hidden: [4] });
    expect(() => ae.score(x)).toThrow("the model is not built yet: call fit() or load a saved model first");
    await expect(ae.fit({ values: new Float32Array(30), shape: [3, 10] }, quiet)).rejects.toThrow(
      "the model takes 20 bins per row, x has 10",
    );
    const t = tf.tensor2d(x.values, [160, 20]);
    await ae.fit(t, { epochs: 1, batchSize: 50, ...quiet });
    const fromTensor = ae.score(t, { batchSize: 7 });
    ae.score(x).forEach((v, i) => expect(fromTensor[i]).toBeCloseTo(v, 7));
    const s1 = ae.score(x, { batchSize: 13 });
    const s2 = ae.score(x, { batchSize: 1000 });
    s1.forEach((v, i) => expect(v).toBeCloseTo(s2[i], 7));
    expect(ae.score(x, { loss: "mse" })).toHaveLength(160);
    t.dispose();
    ae.dispose();
    expect(() => models.autoencoder({ inputDim: 20, hidden: [] })).toThrow(
      "hidden must list at least one layer width, e.g. [64, 16]",
    );
    expect(() =>
      models.autoencoder({ inputDim: 20, hidden: [4, 2], activation: ["relu", "relu", "relu", "relu"] }),
    ).toThrow("activation lists 4 entries for 3 hidden layers");
    expect(models.autoencoder({ inputDim: 100, hidden: [64, 16] }).summary()).toBe(
      "autoencoder 100 -> 64 -> 16 -> 64 -> 100 (15092 parameters), relu hidden, linear output, loss mse, seed 42",
    );
  });

  test("progress goes to the sink: one status and one chart, updated in place", async () => {
    const sink = display.recordingSink();
    display.setSink(sink);
    const ae = models.autoencoder({ inputDim: 20, hidden: [4] });
    const h = await ae.fit(x, { epochs: 4, batchSize: 80, validationSplit: 0.25 });
    const ids = new Set(sink.outputs.map((o) => o.id));
    expect(ids.size).toBe(2);
    const last = sink.outputs.filter((o) => o.id === 0).pop()!;
    // the title names the backend, and the graph step where it runs (native backend)
    const title = `${tf.getBackend()}${h.step === "graph" ? ", graph step" : ""}`;
    expect(last.bundle["text/plain"]).toMatch(
      new RegExp(`^autoencoder \\(${title}\\): epoch 4/4: loss .*, val_loss .* s\\)$`),
    );
    const chart = sink.outputs.filter((o) => o.id === 1).pop()!;
    expect(chart.bundle["application/vnd.vegalite.v5+json"]).toMatchObject({ title: "Training loss" });
    ae.dispose();
  });
});
