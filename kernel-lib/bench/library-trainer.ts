/**
 * The kernel library's side of the training benchmark, run in a child process per backend (a
 * backend is chosen once per process, and native TensorFlow is best kept apart): for every model
 * configuration and trainer, a warm-up epoch on a few batches, then one timed epoch with
 * `models.autoencoder(...).fit` on as many rows as fit in the time budget, and the kernels one
 * training step runs (counted with tf.profile as the difference between a 3-step and a 1-step fit,
 * halved; the graph step runs none: it is one TensorFlow session run per step).
 */
import os from "node:os";
import { backend, models, tf } from "@dqm-playground/kernel";
import { readData, type DataFile } from "./data";
import { timedRows, type BenchBackend, type ModelConfig } from "./options";

export interface WorkerJob {
  backend: BenchBackend;
  /** Backend label in the table (e.g. "tensorflow (1 thread)"). */
  label: string;
  configs: ModelConfig[];
  /** Data file per input width. */
  data: Record<number, DataFile>;
  trainers: BenchTrainer[];
  budget: number;
}

/**
 * "fast": `fit` with its defaults (the graph step on the native backend, the kernel step elsewhere);
 * "fast-kernels": the fast trainer's kernel step (the native backend's "before" figures);
 * "layers": the layers model's fit.
 */
export type BenchTrainer = "fast" | "fast-kernels" | "layers";

function fitOptions(t: BenchTrainer): Pick<models.FitOptions, "trainer" | "step"> {
  if (t === "layers") return { trainer: "layers" };
  return t === "fast-kernels" ? { trainer: "fast", step: "kernels" } : { trainer: "fast" };
}

const TRAINER_LABELS: Record<models.History["step"], string> = {
  graph: "dqm fast trainer, graph step",
  kernels: "dqm fast trainer, kernel step",
  fit: "dqm layers fit",
};

export interface TrainMeasurement {
  trainer: string;
  backend: string;
  model: string;
  batchSize: number;
  /** Rows of the warm-up epoch (excluded) and of the timed epoch. */
  warmupRows: number;
  rows: number;
  seconds: number;
  samplesPerSecond: number;
  /** Mean training loss of the timed epoch (a sanity check across trainers). */
  loss: number;
  kernelsPerStep: number | null;
  /** The training step that ran: graph (one TensorFlow session run per step), kernels or fit. */
  step?: models.History["step"];
  threads: number;
  loadAverage: [number, number];
  /** Set when the trainer could not run. */
  skipped?: string;
}

export interface WorkerResult {
  backend: BenchBackend;
  label: string;
  /** What the library reports about the backend (or why it is unavailable). */
  summary: string;
  available: boolean;
  measurements: TrainMeasurement[];
}

function autoencoder(widths: number[]): models.Autoencoder {
  const inner = widths.slice(1, -1);
  const bottleneck = inner.indexOf(Math.min(...inner));
  return models.autoencoder({
    inputDim: widths[0],
    hidden: inner.slice(0, bottleneck + 1),
    decoder: inner.slice(bottleneck + 1),
    activation: "relu",
    outputActivation: "sigmoid",
    loss: "mse",
    learningRate: 1e-3,
    seed: 42,
  });
}

async function kernelsPerStep(
  ae: models.Autoencoder,
  values: Float32Array,
  cols: number,
  batchSize: number,
  trainer: BenchTrainer,
): Promise<number> {
  const count = async (steps: number): Promise<number> => {
    const rows = steps * batchSize;
    const x = { values: values.subarray(0, rows * cols), shape: [rows, cols] as [number, number] };
    const info = await tf.profile(async () => {
      await ae.fit(x, { epochs: 1, batchSize, progress: false, ...fitOptions(trainer) });
    });
    return info.kernels.length;
  };
  return ((await count(3)) - (await count(1))) / 2;
}

async function measure(
  job: WorkerJob,
  config: ModelConfig,
  trainer: BenchTrainer,
  values: Float32Array,
  rowsAvailable: number,
): Promise<TrainMeasurement> {
  const cols = config.widths[0];
  const b = config.batchSize;
  const rowsOf = (n: number) => ({
    values: values.subarray(0, n * cols),
    shape: [n, cols] as [number, number],
  });
  const ae = autoencoder(config.widths);
  try {
    const warmupRows = Math.min(rowsAvailable, 8 * b);
    let t = performance.now();
    await ae.fit(rowsOf(warmupRows), { epochs: 1, batchSize: b, progress: false, ...fitOptions(trainer) });
    const warmRate = warmupRows / ((performance.now() - t) / 1000);
    const rows = timedRows(warmRate, job.budget, b, rowsAvailable);
    const load0 = os.loadavg()[0];
    t = performance.now();
    const h = await ae.fit(rowsOf(rows), {
      epochs: 1,
      batchSize: b,
      progress: false,
      ...fitOptions(trainer),
    });
    const seconds = (performance.now() - t) / 1000;
    const load1 = os.loadavg()[0];
    const kernels = await kernelsPerStep(ae, values, cols, b, trainer);
    return {
      trainer: TRAINER_LABELS[h.step],
      backend: job.label,
      model: config.name,
      batchSize: b,
      warmupRows,
      rows,
      seconds,
      samplesPerSecond: rows / seconds,
      loss: h.loss[0],
      kernelsPerStep: kernels,
      step: h.step,
      threads:
        job.backend === "tensorflow" ? Number(process.env.TF_NUM_INTRAOP_THREADS || os.cpus().length) : 1,
      loadAverage: [load0, load1],
    };
  } finally {
    ae.dispose();
  }
}

export async function runWorker(job: WorkerJob, log: (m: string) => void): Promise<WorkerResult> {
  let summary: string;
  try {
    const choice = await backend({ force: job.backend });
    summary = choice.summary;
  } catch (err) {
    return {
      backend: job.backend,
      label: job.label,
      summary: err instanceof Error ? err.message : String(err),
      available: false,
      measurements: [],
    };
  }
  const measurements: TrainMeasurement[] = [];
  const loaded = new Map<number, Float32Array>();
  for (const config of job.configs) {
    const file = job.data[config.widths[0]];
    let values = loaded.get(file.cols);
    if (!values) {
      values = readData(file);
      loaded.set(file.cols, values);
    }
    for (const trainer of job.trainers) {
      log(`${job.label}: ${trainer} ${config.name} batch ${config.batchSize}`);
      const m = await measure(job, config, trainer, values, file.rows);
      log(
        `${job.label}: ${trainer} ${config.name} batch ${config.batchSize}: ${m.samplesPerSecond.toFixed(0)} samples/s over ${m.rows} rows, ${m.kernelsPerStep} kernels/step`,
      );
      measurements.push(m);
    }
  }
  return { backend: job.backend, label: job.label, summary, available: true, measurements };
}
