/** The benchmark's Markdown tables (pure functions of the results). */
import type { LoadResult } from "./load";
import type { TrainMeasurement } from "./library-trainer";

export interface PythonLoad {
  task: string;
  shape: [number, number] | null;
  runs: Array<{
    fetch: number;
    read: number;
    pyarrowMatrix: number;
    pandasMatrix: number;
    bodyBytes: number;
  }>;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? NaN
    : s.length % 2
      ? s[(s.length - 1) / 2]
      : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const fmt = (v: number, digits = 0): string =>
  Number.isFinite(v)
    ? v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "-";

/** The PyTorch figure (`trainer`: default threads or one thread) for the same model and batch. */
export function pytorchRate(
  all: readonly TrainMeasurement[],
  m: TrainMeasurement,
  trainer = "PyTorch",
): number | null {
  const ref = all.find(
    (r) => r.trainer === trainer && r.model === m.model && r.batchSize === m.batchSize && !r.skipped,
  );
  return ref ? ref.samplesPerSecond : null;
}

export function trainingTable(all: readonly TrainMeasurement[]): string {
  const lines = [
    "| trainer | backend | batch | model | samples/s | ratio to PyTorch | ratio to PyTorch 1 thread | kernels/step | rows timed |",
    "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  // groups of (model, batch) in the order they first appear; the fastest first within a group
  const groups: string[] = [];
  for (const m of all)
    if (!groups.includes(`${m.model}@${m.batchSize}`)) groups.push(`${m.model}@${m.batchSize}`);
  const group = (m: TrainMeasurement) => groups.indexOf(`${m.model}@${m.batchSize}`);
  const rate = (m: TrainMeasurement) => (m.skipped ? -1 : m.samplesPerSecond);
  const order = [...all].sort((a, b) => group(a) - group(b) || rate(b) - rate(a));
  for (const m of order) {
    if (m.skipped) {
      lines.push(
        `| ${m.trainer} | ${m.backend} | ${m.batchSize} | ${m.model} | skipped: ${m.skipped} | | | | |`,
      );
      continue;
    }
    const ratio = (ref: number | null) => (ref ? fmt(m.samplesPerSecond / ref, 2) : "-");
    lines.push(
      `| ${m.trainer} | ${m.backend} | ${m.batchSize} | ${m.model} | ${fmt(m.samplesPerSecond)} | ${ratio(
        pytorchRate(all, m),
      )} | ${ratio(pytorchRate(all, m, "PyTorch (1 thread)"))} | ${
        m.step === "graph" ? "1 graph run" : m.kernelsPerStep === null ? "-" : fmt(m.kernelsPerStep, 1)
      } | ${fmt(m.rows)} |`,
    );
  }
  return lines.join("\n");
}

export function loadTable(node: readonly LoadResult[], python: readonly PythonLoad[]): string {
  const mb = (bytes: number) => bytes / 1e6;
  const lines = [
    "| reader | task | rows x cols | MB (float32) | fetch + parse s | to matrix s | to tensor s | total s | MB/s |",
    "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of node) {
    const load = median(r.runs.map((x) => x.load));
    const feat = median(r.runs.map((x) => x.features));
    const tensor = median(r.runs.map((x) => x.tensor));
    const total = median(r.runs.map((x) => x.load + x.features + x.tensor));
    lines.push(
      `| dqm: task.load + features${r.view ? " (view)" : ""} + tf.tensor2d (${r.backend}) | ${r.task} | ${r.rows} x ${r.cols} | ${fmt(mb(r.bytes), 1)} | ${fmt(load, 3)} | ${fmt(feat, 3)} | ${fmt(tensor, 3)} | ${fmt(total, 3)} | ${fmt(mb(r.bytes) / total)} |`,
    );
    const py = python.find((p) => p.task === r.task);
    if (!py || !py.shape) continue;
    const bytes = py.shape[0] * py.shape[1] * 4;
    const fetchRead = median(py.runs.map((x) => x.fetch + x.read));
    const arrow = median(py.runs.map((x) => x.pyarrowMatrix));
    const pandas = median(py.runs.map((x) => x.pandasMatrix));
    const arrowTotal = median(py.runs.map((x) => x.fetch + x.read + x.pyarrowMatrix));
    const pandasTotal = median(py.runs.map((x) => x.fetch + x.read + x.pandasMatrix));
    lines.push(
      `| pyarrow: read_all + numpy matrix | ${r.task} | ${py.shape.join(" x ")} | ${fmt(mb(bytes), 1)} | ${fmt(fetchRead, 3)} | ${fmt(arrow, 3)} | - | ${fmt(arrowTotal, 3)} | ${fmt(mb(bytes) / arrowTotal)} |`,
      `| pandas: read_all + to_pandas + numpy.stack | ${r.task} | ${py.shape.join(" x ")} | ${fmt(mb(bytes), 1)} | ${fmt(fetchRead, 3)} | ${fmt(pandas, 3)} | - | ${fmt(pandasTotal, 3)} | ${fmt(mb(bytes) / pandasTotal)} |`,
    );
  }
  return lines.join("\n");
}
