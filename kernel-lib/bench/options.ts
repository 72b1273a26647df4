/** Command-line options of the training benchmark (pure parsing, no side effects). */
import { parseArgs as parseNodeArgs } from "node:util";
import { withHelpHint } from "@dqm-playground/server/dist/bench/options";

export const BACKENDS = ["cpu", "wasm", "tensorflow"] as const;
export type BenchBackend = (typeof BACKENDS)[number];

export const PARTS = ["training", "load"] as const;
export type BenchPart = (typeof PARTS)[number];

/** One model and batch size trained by every trainer. */
export interface ModelConfig {
  /** Short name for the table ("100-64-16-64-100"). */
  name: string;
  /** Layer widths from the input to the output, e.g. [100, 64, 16, 64, 100]. */
  widths: number[];
  batchSize: number;
}

export const SMALL = [100, 64, 16, 64, 100];
export const WIDE = [1000, 512, 128, 32, 128, 512, 1000];

export const CONFIGS: readonly ModelConfig[] = [
  { name: SMALL.join("-"), widths: SMALL, batchSize: 256 },
  { name: SMALL.join("-"), widths: SMALL, batchSize: 1024 },
  { name: WIDE.join("-"), widths: WIDE, batchSize: 256 },
];

export interface TrainBenchOptions {
  parts: Set<BenchPart>;
  backends: BenchBackend[];
  /** Random samples in [0, 1) per data set. */
  samples: number;
  /** Seconds the timed epoch may take at most (fewer rows when a trainer is slower). */
  budget: number;
  seed: number;
  /** Also time the layers model's fit ("before" the fast trainer). */
  layers: boolean;
  /** Python with torch, tensorflow-cpu, pandas and pyarrow; null skips the references. */
  python: string | null;
  /** Playground home with the demo data set (created there when missing); null: a temporary one. */
  home: string | null;
  /** Demo size of the load part. */
  size: "full" | "small";
  /** Timed loads of each split (after one untimed). */
  loads: number;
  out: string;
  help: boolean;
}

export const USAGE = `Usage: node kernel-lib/bench/dist/main.js [options]   (or: npm run bench --workspace kernel-lib -- [options])

Trains the same dense autoencoder with the kernel library on every TensorFlow.js backend, with its
fast trainer (on native TensorFlow with its graph step and its kernel step) and with the layers fit, and with PyTorch and Keras on CPU (same data, batch size and
model), and times loading a task's train split into a tensor against pyarrow and pandas.

  --only <parts>      training, load (comma-separated; default both)
  --backends <list>   cpu, wasm, tensorflow (default all three; tensorflow when it loads)
  --samples <n>       random samples per data set (default 50000)
  --budget <s>        seconds the timed epoch may take; slower trainers time fewer rows (default 15)
  --seed <n>          seed of the data (default 42)
  --no-layers         skip the layers fit (the "before" figures)
  --python <path>     Python with the references (default $BENCH_TRAIN_PYTHON, else
                      .venv-train-bench/bin/python when it exists); --python none skips them
  --home <dir>        playground home with the demo data set (created there when missing: minutes)
  --size <size>       full (default) or small demo for the load part
  --loads <n>         timed loads of each split (default 3)
  --quick             defaults --samples 10000 --budget 4 --size small --loads 2 (given ones win)
  --out <file>        JSON results (default bench-results/training.json)
  -h, --help          this text
`;

function positive(value: string, flag: string, integer = true): number {
  const n = Number(value);
  if (!(n > 0) || (integer && !Number.isInteger(n)))
    throw new Error(`${flag} needs a positive ${integer ? "integer" : "number"}, got '${value}'`);
  return n;
}

function list<T extends string>(value: string, allowed: readonly T[], flag: string): T[] {
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const item of items)
    if (!(allowed as readonly string[]).includes(item))
      throw new Error(`${flag}: unknown '${item}', expected some of ${allowed.join(", ")}`);
  if (items.length === 0) throw new Error(`${flag} needs at least one of ${allowed.join(", ")}`);
  return items as T[];
}

/** Parses the arguments (Node's util.parseArgs: unknown options and missing values are its errors). */
export function parseArgs(argv: readonly string[], defaultPython: string | null): TrainBenchOptions {
  const { values: v } = withHelpHint(() =>
    parseNodeArgs({
      args: [...argv],
      strict: true,
      options: {
        only: { type: "string" },
        backends: { type: "string" },
        samples: { type: "string" },
        budget: { type: "string" },
        seed: { type: "string", default: "42" },
        "no-layers": { type: "boolean", default: false },
        python: { type: "string" },
        home: { type: "string" },
        size: { type: "string" },
        loads: { type: "string" },
        quick: { type: "boolean", default: false },
        out: { type: "string", default: "bench-results/training.json" },
        help: { type: "boolean", short: "h", default: false },
      },
    }),
  );
  const size = v.size ?? (v.quick ? "small" : "full");
  if (size !== "full" && size !== "small") throw new Error(`--size must be full or small, got '${size}'`);
  return {
    parts: new Set(v.only === undefined ? PARTS : list(v.only, PARTS, "--only")),
    backends: v.backends === undefined ? [...BACKENDS] : list(v.backends, BACKENDS, "--backends"),
    samples: v.samples === undefined ? (v.quick ? 10_000 : 50_000) : positive(v.samples, "--samples"),
    budget: v.budget === undefined ? (v.quick ? 4 : 15) : positive(v.budget, "--budget", false),
    seed: positive(v.seed, "--seed"),
    layers: !v["no-layers"],
    python: v.python === undefined ? defaultPython : v.python === "none" ? null : v.python,
    home: v.home ?? null,
    size,
    loads: v.loads === undefined ? (v.quick ? 2 : 3) : positive(v.loads, "--loads"),
    out: v.out,
    help: v.help,
  };
}

/** Rows of the timed epoch: what the warm-up rate says fits in `budget` seconds, whole batches. */
export function timedRows(rate: number, budget: number, batchSize: number, available: number): number {
  const fit = Math.floor((rate * budget) / batchSize) * batchSize;
  return Math.min(available, Math.max(4 * batchSize, fit));
}

/** One child process of the library's runs. */
export interface WorkerRun {
  backend: BenchBackend;
  label: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The library's runs: one per backend, and native TensorFlow a second time with one thread per op
 * (TF_NUM_INTRAOP_THREADS=1): small ops on a busy 2-core machine lose more to waking the thread pool
 * than they gain, as PyTorch's do (its one-thread figure is in the table too).
 */
export function workerRuns(backends: readonly BenchBackend[]): WorkerRun[] {
  return backends.flatMap((backend): WorkerRun[] =>
    backend === "tensorflow"
      ? [
          { backend, label: "tensorflow", env: {} },
          {
            backend,
            label: "tensorflow (1 thread)",
            env: { TF_NUM_INTRAOP_THREADS: "1", TF_NUM_INTEROP_THREADS: "1" },
          },
        ]
      : [{ backend, label: backend, env: {} }],
  );
}
