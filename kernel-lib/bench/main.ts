/**
 * The kernel library's training benchmark (`bash kernel-lib/bench/run.sh`, see BENCHMARKS.md):
 * - training: the same dense autoencoder (ReLU, sigmoid output, Adam 1e-3, MSE) on the same seeded
 *   random samples in [0, 1), trained with `models.autoencoder(...).fit` on every TensorFlow.js
 *   backend (cpu, wasm, native tensorflow when it loads; one child process each), with the fast
 *   trainer and with the layers fit, and by PyTorch (default threads and one thread) and Keras
 *   (tensorflow-cpu) on CPU; 100-64-16-64-100 at batch 256 and 1024, and 1000-512-128-32-128-512-1000
 *   at batch 256; samples/s of one timed epoch after a warm-up epoch, and the ratio to PyTorch;
 * - load: a task's train split of the demo year into a tensor (`task.load`, `features`,
 *   `tf.tensor2d`), in seconds and MB/s, against pyarrow and pandas reading the same Arrow stream.
 * Prints Markdown tables and writes the raw figures as JSON (bench-results/training.json).
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { writeData, type DataFile } from "./data";
import { runWorker, type TrainMeasurement, type WorkerJob, type WorkerResult } from "./library-trainer";
import {
  connectTo,
  demoTasks,
  ensureDemo,
  homeToken,
  loadSplits,
  type DemoSetup,
  type LoadResult,
} from "./load";
import type { Playground } from "@dqm-playground/kernel";
import { CONFIGS, parseArgs, USAGE, workerRuns, type ModelConfig, type TrainBenchOptions } from "./options";
import { loadTable, trainingTable, type PythonLoad } from "./report";

const REPO = path.resolve(__dirname, "../../..");
const CLI = path.join(REPO, "server", "dist", "cli", "main.js");
const REFERENCE = path.join(REPO, "kernel-lib", "bench", "reference.py");

const started = performance.now();
function log(message: string): void {
  process.stderr.write(
    `[train-bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`,
  );
}

function defaultPython(): string | null {
  if (process.env.BENCH_TRAIN_PYTHON) return process.env.BENCH_TRAIN_PYTHON;
  const venv = path.join(REPO, ".venv-train-bench", "bin", "python");
  return fs.existsSync(venv) ? venv : null;
}

/** Runs reference.py; its last stdout line is the JSON result. */
function python<T>(py: string, args: string[], env: NodeJS.ProcessEnv = {}): T {
  const r = spawnSync(py, [REFERENCE, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0)
    throw new Error(
      `reference.py ${args[0]} failed (exit ${r.status}): ${(r.stderr || "").trim().split("\n").slice(-3).join(" / ")}`,
    );
  const lines = r.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]) as T;
}

/** Runs the library's trainers for one backend in a child process. */
function worker(job: WorkerJob, env: NodeJS.ProcessEnv): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [__filename, "--worker", JSON.stringify(job)], {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, ...env },
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`the ${job.label} worker exited with ${code}`));
      const lines = out.trim().split("\n");
      resolve(JSON.parse(lines[lines.length - 1]) as WorkerResult);
    });
  });
}

interface PythonTrain {
  framework: string;
  version: string;
  threads: number;
  warmupRows: number;
  rows: number;
  seconds: number;
  samplesPerSecond: number;
  loss: number;
}

function pythonReferences(
  py: string,
  config: ModelConfig,
  data: DataFile,
  o: TrainBenchOptions,
): TrainMeasurement[] {
  const runs: Array<{ label: string; framework: "torch" | "keras"; threads: number }> = [
    { label: "PyTorch", framework: "torch", threads: 0 },
    { label: "PyTorch (1 thread)", framework: "torch", threads: 1 },
    { label: "Keras", framework: "keras", threads: 0 },
  ];
  const out: TrainMeasurement[] = [];
  for (const run of runs) {
    const base = {
      trainer: run.label,
      backend: run.framework === "torch" ? "torch CPU" : "tensorflow-cpu",
      model: config.name,
      batchSize: config.batchSize,
      kernelsPerStep: null,
    };
    log(`${run.label}: ${config.name} batch ${config.batchSize}`);
    const load0 = os.loadavg()[0];
    try {
      const r = python<PythonTrain>(py, [
        "train",
        run.framework,
        "--data",
        data.path,
        "--rows",
        String(data.rows),
        "--cols",
        String(data.cols),
        "--widths",
        config.widths.join(","),
        "--batch",
        String(config.batchSize),
        "--budget",
        String(o.budget),
        "--threads",
        String(run.threads),
        "--seed",
        String(o.seed),
      ]);
      log(
        `${run.label}: ${r.samplesPerSecond.toFixed(0)} samples/s over ${r.rows} rows (${r.threads} threads)`,
      );
      out.push({
        ...base,
        warmupRows: r.warmupRows,
        rows: r.rows,
        seconds: r.seconds,
        samplesPerSecond: r.samplesPerSecond,
        loss: r.loss,
        threads: r.threads,
        loadAverage: [load0, os.loadavg()[0]],
      });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      log(`${run.label}: skipped: ${why}`);
      out.push({
        ...base,
        warmupRows: 0,
        rows: 0,
        seconds: NaN,
        samplesPerSecond: NaN,
        loss: NaN,
        threads: run.threads,
        loadAverage: [load0, os.loadavg()[0]],
        skipped: why,
      });
    }
  }
  return out;
}

function machine(versions: Record<string, string | null> | null): Record<string, unknown> {
  const lscpu = spawnSync("lscpu", [], { encoding: "utf8" });
  return {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryBytes: os.totalmem(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    lscpu: lscpu.status === 0 ? lscpu.stdout.split("\n").slice(0, 20).join("\n") : null,
    python: versions,
    loadAverageAtStart: os.loadavg(),
  };
}

/** Stops the server `connect` started, and waits (10 s at most) for it to exit. */
async function stopServer(pg: Playground): Promise<void> {
  const pid = pg.startedPid;
  if (pid === null || !pg.stopStartedServer()) return;
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === "--worker") {
    const result = await runWorker(JSON.parse(argv[1]) as WorkerJob, log);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const o = parseArgs(argv, defaultPython());
  if (o.help) {
    process.stdout.write(USAGE);
    return;
  }
  let versions: Record<string, string | null> | null = null;
  let pythonWhy = "no Python given: run kernel-lib/bench/setup.sh, which makes .venv-train-bench";
  if (o.python)
    try {
      versions = python<Record<string, string | null>>(o.python, ["versions"]);
    } catch (err) {
      pythonWhy = `${o.python} does not run reference.py: ${err instanceof Error ? err.message : err}`;
    }
  const py = versions ? o.python : null;
  if (!py) log(`references skipped: ${pythonWhy}`);
  const results: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    machine: machine(versions),
    options: { ...o, parts: [...o.parts] },
  };
  const markdown: string[] = [];

  if (o.parts.has("training")) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dqm-train-bench-"));
    try {
      const data: Record<number, DataFile> = {};
      for (const c of CONFIGS) data[c.widths[0]] ??= writeData(dir, o.samples, c.widths[0], o.seed);
      const measurements: TrainMeasurement[] = [];
      const backends: Array<Pick<WorkerResult, "label" | "summary" | "available">> = [];
      for (const run of workerRuns(o.backends)) {
        if (backends.some((b) => !b.available && b.label.startsWith(run.backend))) continue;
        log(`backend ${run.label}`);
        const r = await worker(
          {
            backend: run.backend,
            label: run.label,
            configs: [...CONFIGS],
            data,
            trainers: [
              "fast",
              ...(run.backend === "tensorflow" ? (["fast-kernels"] as const) : []),
              ...(o.layers ? (["layers"] as const) : []),
            ],
            budget: o.budget,
          },
          run.env,
        );
        backends.push({ label: r.label, summary: r.summary, available: r.available });
        if (!r.available) log(`backend ${run.label} unavailable: ${r.summary}`);
        measurements.push(...r.measurements);
      }
      if (py) for (const c of CONFIGS) measurements.push(...pythonReferences(py, c, data[c.widths[0]], o));
      else
        measurements.push(
          ...CONFIGS.map((c) => ({
            trainer: "PyTorch",
            backend: "torch CPU",
            model: c.name,
            batchSize: c.batchSize,
            warmupRows: 0,
            rows: 0,
            seconds: NaN,
            samplesPerSecond: NaN,
            loss: NaN,
            kernelsPerStep: null,
            threads: 0,
            loadAverage: [NaN, NaN] as [number, number],
            skipped: pythonWhy,
          })),
        );
      results.training = { samples: o.samples, budget: o.budget, backends, measurements };
      markdown.push(
        "## Training throughput",
        "",
        trainingTable(measurements),
        "",
        ...backends
          .filter((b) => !b.available)
          .map((b) => `- ${b.label}: not available: ${b.summary.split("\n")[0]}`),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  if (o.parts.has("load")) {
    const temp = o.home ? null : fs.mkdtempSync(path.join(os.tmpdir(), "dqm-train-bench-home-"));
    const home = path.resolve(o.home ?? path.join(temp as string, "home"));
    let setup: DemoSetup = { home, demoSeconds: null };
    try {
      try {
        setup = ensureDemo(CLI, home, o.size, log);
      } catch (err) {
        // a server already running on that home has the store open: use it as it is
        if (!(err instanceof Error && /stop it first/.test(err.message))) throw err;
        log(`a server runs on ${home}: using its data as they are`);
      }
      const pg = await connectTo(home, CLI);
      try {
        const tasks = demoTasks(o.size);
        const node: LoadResult[] = await loadSplits(pg, tasks, o.loads, log);
        const pythonLoads: PythonLoad[] = [];
        if (py)
          for (const task of tasks) {
            log(`pyarrow and pandas: ${task}`);
            try {
              pythonLoads.push(
                python<PythonLoad>(
                  py,
                  ["load", "--url", pg.url, "--task", task, "--repeat", String(o.loads)],
                  {
                    DQM_PLAYGROUND_TOKEN: homeToken(home) ?? "",
                  },
                ),
              );
            } catch (err) {
              log(`pyarrow/pandas load of ${task} skipped: ${err instanceof Error ? err.message : err}`);
            }
          }
        results.load = { ...setup, size: o.size, node, python: pythonLoads };
        markdown.push(
          "## Train split into a tensor",
          "",
          loadTable(node, pythonLoads),
          "",
          setup.demoSeconds === null
            ? "(demo data set reused)"
            : `(demo data set created in ${setup.demoSeconds.toFixed(0)} s)`,
        );
      } finally {
        await stopServer(pg);
      }
    } finally {
      if (temp) fs.rmSync(temp, { recursive: true, force: true });
    }
  }

  results.totalSeconds = (performance.now() - started) / 1000;
  (results.machine as Record<string, unknown>).loadAverageAtEnd = os.loadavg();
  const out = path.resolve(REPO, o.out);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  const m = results.machine as { cpu: string; cores: number; node: string };
  process.stdout.write(
    [
      `# Kernel library training benchmark (${new Date().toISOString().slice(0, 10)})`,
      "",
      `${m.cpu}, ${m.cores} cores, Node ${m.node}${versions ? `, Python ${versions.python}, torch ${versions.torch}, tensorflow-cpu ${versions["tensorflow-cpu"]}` : ""}; load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
      "",
      ...markdown,
      "",
      `Raw figures: ${path.relative(REPO, out)}`,
      "",
    ].join("\n"),
  );
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
