import { tf, backend, models } from "../src/index";

beforeAll(async () => {
  await backend();
});

const row0True = Array(12).fill(0);
const row0Pred = Array.from({ length: 12 }, (_, i) => i + 1); // squared errors 1, 4, ..., 144
const row1True = Array(12).fill(1);
const row1Pred = Array(12).fill(2); // every squared error 1: a 12-way tie at the 10th value

describe("losses", () => {
  test("mse per sample", () => {
    const l = models.mse(tf.tensor2d([row0True]), tf.tensor2d([row0Pred]));
    expect(l.shape).toEqual([1]);
    expect(l.dataSync()[0]).toBeCloseTo(650 / 12, 4);
  });

  test("mseTop10: mean of the 10 largest squared bin errors per sample", () => {
    const fn = models.lossFunction("mseTop10");
    const l = fn(tf.tensor2d([row0True, row1True]), tf.tensor2d([row0Pred, row1Pred]));
    // (650 - 1 - 4) / 10 and 10 / 10
    expect(Array.from(l.dataSync())).toEqual([64.5, 1]);
    // fewer bins than k: the mean of all of them
    const small = models.mseTopK(10)(tf.tensor2d([[0, 0]]), tf.tensor2d([[1, 3]]));
    expect(small.dataSync()[0]).toBe(5);
  });

  test("mseTop10 gradient: 2 (pred - true) / 10 on the top bins, ties share the rest", () => {
    const yTrue = tf.tensor2d([row0True, row1True]);
    const g = tf.grad((p: tf.Tensor) => tf.mean(models.lossFunction("mseTop10")(yTrue, p)))(
      tf.tensor2d([row0Pred, row1Pred]),
    );
    const v = Array.from(g.dataSync());
    // mean over 2 samples: factor 1/2
    const expected0 = row0Pred.map((d, i) => (i < 2 ? 0 : (2 * d) / 10 / 2));
    const expected1 = row1Pred.map(() => (2 * 1 * (10 / 12)) / 10 / 2);
    v.forEach((x, i) => expect(x).toBeCloseTo([...expected0, ...expected1][i], 6));
  });

  test("loss names", () => {
    expect(models.parseLoss("mseTop5")).toEqual({ topK: 5 });
    expect(() => models.parseLoss("mae")).toThrow(`unknown loss 'mae': use "mse", "mseTop10" or { topK: k }`);
    expect(() => models.parseLoss({ topK: 0 })).toThrow("topK must be a positive integer, got 0");
  });
});
