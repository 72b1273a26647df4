#!/usr/bin/env node
/**
 * Checks the native TensorFlow.js backend built by scripts/setup-tensorflow.sh, as the kernel library
 * would use it: loads the tfjs-node package against the kernel library's own @tensorflow/tfjs (one
 * tfjs-core instance), checks that "tensorflow" becomes the active backend, and trains a tiny dense
 * autoencoder to check the loss goes down. Exit status 1 when any of that fails.
 *
 *   node scripts/check-tensorflow.cjs [--quiet] [--bench] [PACKAGE_DIR [KERNEL_LIB_DIR]]
 *
 * PACKAGE_DIR defaults to .tensorflow/node_modules/@tensorflow/tfjs-node-gpu, else ...-node (or under
 * $DQM_PLAYGROUND_TENSORFLOW_DIR). --bench also times model.fit of a 100-64-16-64-100 autoencoder
 * (Adam 1e-3, MSE, batch 256, 50,000 random samples, 2 epochs) on the native backend and, for
 * comparison in the same run, on the WebAssembly backend.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

// TensorFlow's C++ informational messages (oneDNN, CPU features) go to stderr unless told otherwise.
process.env.TF_CPP_MIN_LOG_LEVEL ??= "2";
const root = path.resolve(__dirname, "..");
const args = process.argv.slice(2);
const quiet = args.includes("--quiet");
const bench = args.includes("--bench");
const positional = args.filter((a) => !a.startsWith("--"));
const prefix = process.env.DQM_PLAYGROUND_TENSORFLOW_DIR || path.join(root, ".tensorflow");
const pkgDir =
  positional[0] ||
  ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]
    .map((p) => path.join(prefix, "node_modules", p))
    .find((p) => fs.existsSync(path.join(p, "package.json")));
const kernelLib = positional[1] || path.join(root, "kernel-lib");
const log = (...a) => quiet || console.log(...a);

function fail(message) {
  console.error(`check-tensorflow: ${message}`);
  process.exit(1);
}

if (!pkgDir) fail(`no native TensorFlow.js package under ${prefix}: run npm run setup:tensorflow`);
if (!fs.existsSync(path.join(pkgDir, "package.json"))) fail(`no package in ${pkgDir}`);

/** Low-rank data in [0, 1]: an autoencoder with a narrower bottleneck can learn it. */
function lowRankData(tf, n, width, rank) {
  return tf.tidy(() => {
    const z = tf.randomUniform([n, rank], 0, 1, "float32", 1);
    const w = tf.randomUniform([rank, width], 0, 1 / rank, "float32", 2);
    return tf.matMul(z, w);
  });
}

function autoencoder(tf, sizes) {
  const model = tf.sequential();
  for (let i = 1; i < sizes.length; i++) {
    const last = i === sizes.length - 1;
    model.add(
      tf.layers.dense({
        units: sizes[i],
        activation: last ? "sigmoid" : "relu",
        ...(i === 1 ? { inputShape: [sizes[0]] } : {}),
      }),
    );
  }
  model.compile({ optimizer: tf.train.adam(1e-3), loss: "meanSquaredError" });
  return model;
}

async function samplesPerSecond(tf) {
  const x = tf.randomUniform([50000, 100], 0, 1, "float32", 3);
  const model = autoencoder(tf, [100, 64, 16, 64, 100]);
  const start = process.hrtime.bigint();
  const history = await model.fit(x, x, { epochs: 2, batchSize: 256, shuffle: true, verbose: 0 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  x.dispose();
  model.dispose();
  return { rate: (2 * 50000) / seconds, seconds, loss: history.history.loss.at(-1) };
}

async function main() {
  let tfjsPath;
  try {
    tfjsPath = require.resolve("@tensorflow/tfjs", { paths: [kernelLib] });
  } catch {
    fail(`@tensorflow/tfjs is not installed for ${kernelLib}: run npm ci`);
  }
  const coreOf = (from) => {
    try {
      return require.resolve("@tensorflow/tfjs-core", { paths: [from] });
    } catch {
      return "(not found)";
    }
  };
  const kernelCore = coreOf(path.dirname(tfjsPath));
  const nativeCore = coreOf(pkgDir);
  if (kernelCore !== nativeCore)
    fail(
      `two copies of @tensorflow/tfjs-core: the kernel library's ${kernelCore}, ${pkgDir}'s ${nativeCore}`,
    );

  const tf = require(tfjsPath);
  try {
    require(pkgDir);
  } catch (err) {
    fail(`${pkgDir} does not load: ${String(err && err.message).split("\n")[0]}`);
  }
  await tf.ready();
  if (tf.getBackend() !== "tensorflow")
    fail(`the active backend is '${tf.getBackend()}' after loading ${pkgDir}, not 'tensorflow'`);
  const pkg = require(path.join(pkgDir, "package.json"));
  const tfVersion = tf.backend().binding.TF_Version;
  log(`${pkg.name} ${pkg.version}: backend 'tensorflow', TensorFlow C library ${tfVersion}`);

  const x = lowRankData(tf, 512, 16, 3);
  const model = autoencoder(tf, [16, 8, 3, 8, 16]);
  model.compile({ optimizer: tf.train.adam(1e-2), loss: "meanSquaredError" });
  const history = await model.fit(x, x, { epochs: 15, batchSize: 64, verbose: 0 });
  const losses = history.history.loss;
  const first = losses[0];
  const last = losses[losses.length - 1];
  if (!(last < first * 0.8))
    fail(
      `a tiny autoencoder did not learn: loss ${first} after epoch 1, ${last} after epoch ${losses.length}`,
    );
  log(
    `tiny autoencoder: loss ${first.toExponential(3)} -> ${last.toExponential(3)} in ${losses.length} epochs`,
  );
  x.dispose();
  model.dispose();

  if (bench) {
    const rows = [];
    const native = await samplesPerSecond(tf);
    rows.push(["tensorflow (native)", native]);
    try {
      const wasm = require(require.resolve("@tensorflow/tfjs-backend-wasm", { paths: [kernelLib] }));
      const wasmDir = path.dirname(
        require.resolve("@tensorflow/tfjs-backend-wasm/package.json", { paths: [kernelLib] }),
      );
      wasm.setWasmPaths(path.join(wasmDir, "dist") + path.sep);
      if (await tf.setBackend("wasm")) rows.push(["wasm", await samplesPerSecond(tf)]);
    } catch (err) {
      log(`wasm backend not measured: ${String(err && err.message).split("\n")[0]}`);
    }
    console.log(
      "\nmodel.fit, 100-64-16-64-100 autoencoder, Adam 1e-3, MSE, batch 256, 50,000 samples, 2 epochs",
    );
    console.log("backend              samples/s   seconds   final loss   vs wasm");
    const wasmRate = rows.find((r) => r[0] === "wasm")?.[1].rate;
    for (const [name, r] of rows)
      console.log(
        `${name.padEnd(20)} ${r.rate.toFixed(0).padStart(9)} ${r.seconds.toFixed(2).padStart(9)} ${r.loss
          .toFixed(5)
          .padStart(12)} ${wasmRate ? (r.rate / wasmRate).toFixed(1).padStart(8) + "x" : ""}`,
      );
  }
}

main().catch((err) => fail(err && err.stack ? err.stack : String(err)));
