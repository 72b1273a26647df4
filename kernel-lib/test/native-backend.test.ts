/**
 * The native TensorFlow backend built by `npm run setup:tensorflow` (scripts/setup-tensorflow.sh):
 * loads against the kernel library's own @tensorflow/tfjs, becomes the active backend and trains.
 * Skipped, with a message, when it has not been built (`npm test` builds it).
 */
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { describeNative, nativePackageDir } from "./helpers/native";

const maybe = describeNative("the native backend's tests are");
const pkgDir = nativePackageDir;

/** Rows in [0, 1] of rank 3: an autoencoder with a 3-wide bottleneck can learn them. */
function lowRank(rows: number, width: number): tf.Tensor2D {
  return tf.tidy(() =>
    tf.matMul(
      tf.randomUniform([rows, 3], 0, 1, "float32", 1),
      tf.randomUniform([3, width], 0, 1 / 3, "float32", 2),
    ),
  );
}

maybe("native TensorFlow backend (npm run setup:tensorflow)", () => {
  beforeAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(pkgDir as string);
    await tf.ready();
  });

  test("shares the kernel library's @tensorflow/tfjs-core (one instance)", () => {
    const ours = require.resolve("@tensorflow/tfjs-core", {
      paths: [path.dirname(require.resolve("@tensorflow/tfjs"))],
    });
    expect(require.resolve("@tensorflow/tfjs-core", { paths: [pkgDir as string] })).toBe(ours);
  });

  test("becomes the active backend, on a TensorFlow 2 C library", () => {
    expect(tf.getBackend()).toBe("tensorflow");
    const binding = (tf.backend() as unknown as { binding: { TF_Version: string } }).binding;
    expect(binding.TF_Version).toMatch(/^2\.\d+\.\d+/);
  });

  test("computes like the reference cpu backend", async () => {
    const a = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const product = tf.tidy(() => tf.sigmoid(tf.matMul(a, a)) as tf.Tensor2D);
    const out = product.arraySync();
    product.dispose();
    expect(tf.getBackend()).toBe("tensorflow");
    const want = [
      [7, 10],
      [15, 22],
    ].map((r) => r.map((v) => 1 / (1 + Math.exp(-v))));
    out.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(want[i][j], 5)));
    a.dispose();
  });

  test("a tiny dense autoencoder trains: the loss goes down", async () => {
    const x = lowRank(512, 16);
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 8, activation: "relu", inputShape: [16] }),
        tf.layers.dense({ units: 3, activation: "relu" }),
        tf.layers.dense({ units: 8, activation: "relu" }),
        tf.layers.dense({ units: 16, activation: "sigmoid" }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(1e-2), loss: "meanSquaredError" });
    const history = await model.fit(x, x, { epochs: 15, batchSize: 64, verbose: 0 });
    const loss = history.history.loss as number[];
    expect(tf.getBackend()).toBe("tensorflow");
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] * 0.8);
    x.dispose();
    model.dispose();
  });
});
