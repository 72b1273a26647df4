/** The training benchmark's pure parts: options, row budget, worker runs and tables. */
import type { TrainMeasurement } from "../bench/library-trainer";
import { CONFIGS, parseArgs, timedRows, USAGE, workerRuns } from "../bench/options";
import { loadTable, pytorchRate, trainingTable } from "../bench/report";

describe("training benchmark options", () => {
  test("defaults and every option", () => {
    const d = parseArgs([], "/py");
    expect(d).toMatchObject({
      samples: 50000,
      budget: 15,
      seed: 42,
      layers: true,
      python: "/py",
      home: null,
    });
    expect([...d.parts]).toEqual(["training", "load"]);
    expect(d.backends).toEqual(["cpu", "wasm", "tensorflow"]);
    const o = parseArgs(
      [
        "--only",
        "training",
        "--backends",
        "wasm,cpu",
        "--samples",
        "1000",
        "--budget",
        "2.5",
        "--seed",
        "7",
        "--no-layers",
        "--python",
        "none",
        "--home",
        "/h",
        "--size",
        "small",
        "--loads",
        "1",
        "--out",
        "x.json",
      ],
      "/py",
    );
    expect(o).toMatchObject({
      backends: ["wasm", "cpu"],
      samples: 1000,
      budget: 2.5,
      seed: 7,
      layers: false,
      python: null,
      home: "/h",
      size: "small",
      loads: 1,
      out: "x.json",
    });
    expect([...o.parts]).toEqual(["training"]);
    expect(parseArgs(["--quick"], null)).toMatchObject({
      samples: 10000,
      budget: 4,
      size: "small",
      loads: 2,
    });
    // --quick gives defaults; options given explicitly win, in any order
    expect(parseArgs(["--samples", "500", "--quick"], null)).toMatchObject({ samples: 500, budget: 4 });
    expect(parseArgs(["-h"], null).help).toBe(true);
    expect(USAGE).toContain("--budget <s>");
  });

  test("errors say which option and why", () => {
    expect(() => parseArgs(["--samples", "0"], null)).toThrow("--samples needs a positive integer, got '0'");
    expect(() => parseArgs(["--budget", "x"], null)).toThrow("--budget needs a positive number, got 'x'");
    expect(() => parseArgs(["--backends", "gpu"], null)).toThrow(
      "--backends: unknown 'gpu', expected some of cpu, wasm, tensorflow",
    );
    expect(() => parseArgs(["--only", ","], null)).toThrow("--only needs at least one of training, load");
    expect(() => parseArgs(["--size", "huge"], null)).toThrow("--size must be full or small, got 'huge'");
    // Node's util.parseArgs says these
    expect(() => parseArgs(["--home"], null)).toThrow("Option '--home <value>' argument missing");
    expect(() => parseArgs(["--fast"], null)).toThrow("Unknown option '--fast'");
  });

  test("the configurations: the small model at batch 256 and 1024, the wide one at 256", () => {
    expect(CONFIGS.map((c) => `${c.name}@${c.batchSize}`)).toEqual([
      "100-64-16-64-100@256",
      "100-64-16-64-100@1024",
      "1000-512-128-32-128-512-1000@256",
    ]);
  });

  test("timed rows: whole batches within the budget, at least 4 batches, at most all rows", () => {
    expect(timedRows(10000, 2, 256, 50000)).toBe(19968);
    expect(timedRows(10, 2, 256, 50000)).toBe(1024);
    expect(timedRows(1e6, 15, 256, 50000)).toBe(50000);
  });

  test("worker runs: native TensorFlow also with one thread per op", () => {
    expect(workerRuns(["wasm", "tensorflow"])).toEqual([
      { backend: "wasm", label: "wasm", env: {} },
      { backend: "tensorflow", label: "tensorflow", env: {} },
      {
        backend: "tensorflow",
        label: "tensorflow (1 thread)",
        env: { TF_NUM_INTRAOP_THREADS: "1", TF_NUM_INTEROP_THREADS: "1" },
      },
    ]);
  });
});

describe("training benchmark tables", () => {
  const m = (
    trainer: string,
    backend: string,
    batchSize: number,
    samplesPerSecond: number,
  ): TrainMeasurement => ({
    trainer,
    backend,
    model: "100-64-16-64-100",
    batchSize,
    warmupRows: 2048,
    rows: 50000,
    seconds: 50000 / samplesPerSecond,
    samplesPerSecond,
    loss: 0.08,
    kernelsPerStep: trainer.startsWith("dqm") ? 27 : null,
    threads: 1,
    loadAverage: [1, 1],
  });

  test("samples/s and the ratios to PyTorch (default threads and one thread), fastest first", () => {
    const all = [
      m("dqm fast trainer", "wasm", 256, 50000),
      m("PyTorch", "torch CPU", 256, 100000),
      m("PyTorch (1 thread)", "torch CPU", 256, 200000),
      { ...m("Keras", "tensorflow-cpu", 256, NaN), skipped: "no Python" },
      m("dqm fast trainer", "wasm", 1024, 80000),
      {
        ...m("dqm fast trainer, graph step", "tensorflow", 256, 300000),
        kernelsPerStep: 0,
        step: "graph" as const,
      },
    ];
    expect(pytorchRate(all, all[0])).toBe(100000);
    expect(pytorchRate(all, all[4])).toBeNull();
    const lines = trainingTable(all).split("\n");
    expect(lines[0]).toBe(
      "| trainer | backend | batch | model | samples/s | ratio to PyTorch | ratio to PyTorch 1 thread | kernels/step | rows timed |",
    );
    expect(lines.slice(2)).toEqual([
      "| dqm fast trainer, graph step | tensorflow | 256 | 100-64-16-64-100 | 300,000 | 3.00 | 1.50 | 1 graph run | 50,000 |",
      "| PyTorch (1 thread) | torch CPU | 256 | 100-64-16-64-100 | 200,000 | 2.00 | 1.00 | - | 50,000 |",
      "| PyTorch | torch CPU | 256 | 100-64-16-64-100 | 100,000 | 1.00 | 0.50 | - | 50,000 |",
      "| dqm fast trainer | wasm | 256 | 100-64-16-64-100 | 50,000 | 0.50 | 0.25 | 27.0 | 50,000 |",
      "| Keras | tensorflow-cpu | 256 | 100-64-16-64-100 | skipped: no Python | | | | |",
      "| dqm fast trainer | wasm | 1024 | 100-64-16-64-100 | 80,000 | - | - | 27.0 | 50,000 |",
    ]);
  });

  test("load table: seconds per step and MB/s, the median of the runs", () => {
    const table = loadTable(
      [
        {
          task: "t",
          rows: 1000,
          cols: 250,
          bytes: 1e6,
          view: true,
          backend: "wasm",
          runs: [
            { load: 0.1, features: 0.01, tensor: 0.09 },
            { load: 0.3, features: 0.01, tensor: 0.09 },
            { load: 0.2, features: 0.01, tensor: 0.09 },
          ],
        },
      ],
      [
        {
          task: "t",
          shape: [1000, 250],
          runs: [{ fetch: 0.1, read: 0.1, pyarrowMatrix: 0.3, pandasMatrix: 0.8, bodyBytes: 1 }],
        },
      ],
    );
    expect(table.split("\n").slice(2)).toEqual([
      "| dqm: task.load + features (view) + tf.tensor2d (wasm) | t | 1000 x 250 | 1.0 | 0.200 | 0.010 | 0.090 | 0.300 | 3 |",
      "| pyarrow: read_all + numpy matrix | t | 1000 x 250 | 1.0 | 0.200 | 0.300 | - | 0.500 | 2 |",
      "| pandas: read_all + to_pandas + numpy.stack | t | 1000 x 250 | 1.0 | 0.200 | 0.800 | - | 1.000 | 1 |",
    ]);
  });
});
