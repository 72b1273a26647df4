/**
 * The playground's results table (`npm run results`, see docs/results.md): creates the demo data set
 * in a fresh home, trains the example notebooks' autoencoders on every demo task exactly as the
 * notebooks do, submits them next to the baselines the demo made, and writes one table of task x
 * method with the public and the private part's metrics (read as the home's admin), with the commit,
 * the seeds and the machine. It also checks that each task discriminates: random scores near 0.5,
 * every baseline clearly above random, the notebooks' models above every baseline.
 * It lives beside the benchmarks because it shares their demo set-up and runs on the same full year.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  backend,
  BlockScaler,
  holdout,
  models,
  runReferences,
  runRelative,
  type Playground,
  type Task,
} from "@dqm-playground/kernel";
import type {
  Leaderboard as LeaderboardInfo,
  LeaderboardRow,
  Task as TaskInfo,
} from "@dqm-playground/api-types";
import { withHelpHint } from "@dqm-playground/server/dist/bench/options";
import { connectTo, ensureDemo } from "./load";

const REPO = path.resolve(__dirname, "../../..");
const CLI = path.join(REPO, "server", "dist", "cli", "main.js");

const started = performance.now();
function log(message: string): void {
  process.stderr.write(
    `[results ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`,
  );
}

/** One example notebook's model, as its cells build, train and score it. */
interface NotebookModel {
  method: string;
  notebook: string;
  prep: { drop: "underflow-overflow"; normalize: "l1"; minEntries?: number };
  holdout: { fraction: number; seed: number };
  hidden: number[];
  seed: number;
  epochs: number;
}

/** The settings of examples/02-autoencoder-pixel.ipynb and examples/04-multi-monitor-elements.ipynb. */
export const NOTEBOOK_MODELS: readonly NotebookModel[] = [
  {
    method: "AE 64-16 (notebook 02)",
    notebook: "examples/02-autoencoder-pixel.ipynb",
    prep: { drop: "underflow-overflow", normalize: "l1" },
    holdout: { fraction: 0.3, seed: 1 },
    hidden: [64, 16],
    seed: 42,
    epochs: 40,
  },
  {
    method: "AE 128-32 (notebook 04)",
    notebook: "examples/04-multi-monitor-elements.ipynb",
    prep: { drop: "underflow-overflow", normalize: "l1", minEntries: 1 },
    holdout: { fraction: 0.3, seed: 5 },
    hidden: [128, 32],
    seed: 11,
    epochs: 30,
  },
];

/**
 * Trains one notebook model on a task's train split and submits its test scores: run-relative
 * features (each lumisection to its run's median, the run median to the latest earlier train run's
 * good mean, the relative hit rate), min-max scaled with every block (a monitor element's bins, its
 * run median, its hit rate) weighted to the same total variance, a dense autoencoder on good lumisections.
 */
async function trainAndSubmit(task: Task, m: NotebookModel): Promise<void> {
  const train = await task.load("train");
  const { fit } = holdout(train, m.holdout);
  const shape = { drop: m.prep.drop, normalize: m.prep.normalize };
  const references = runReferences(train, shape);
  const xFit = runRelative(train, {
    ...m.prep,
    references,
    excludeOwnRun: true,
    rows: fit,
    select: "good",
  });
  const scaler = BlockScaler.fit(xFit);
  const ae = models.autoencoder({ inputDim: xFit.cols, hidden: m.hidden, loss: "mse", seed: m.seed });
  try {
    await ae.fit(scaler.transform(xFit), {
      epochs: m.epochs,
      batchSize: 64,
      validationSplit: 0.1,
      earlyStopping: true,
      progress: false,
    });
    const test = await task.load("test");
    const scores = ae.score(scaler.transform(runRelative(test, { ...shape, references })));
    await task.submit(scores, {
      method: m.method,
      description: `The model of ${m.notebook}, trained by npm run results.`,
      show: false,
    });
  } finally {
    ae.dispose();
  }
}

export interface PartScores {
  rocAuc: number | null;
  averagePrecision: number | null;
  savedEffort: number | null;
  recallAt1e3: number | null;
}

export interface MethodResult {
  method: string;
  kind: "random" | "baseline" | "notebook";
  public: PartScores;
  private: PartScores;
}

export interface TaskResult {
  task: string;
  title: string;
  strategy: string;
  seed: number | null;
  methods: MethodResult[];
  checks: string[];
}

function partScores(row: LeaderboardRow | undefined): PartScores {
  return {
    rocAuc: row?.rocAuc ?? null,
    averagePrecision: row?.averagePrecision ?? null,
    savedEffort: row?.savedEffort ?? null,
    recallAt1e3: row?.recallAtFpr["0.001"] ?? null,
  };
}

/** The ordering an expert expects, on each part; returns the violations (empty: the task discriminates). */
export function orderingViolations(methods: MethodResult[]): string[] {
  const out: string[] = [];
  for (const part of ["public", "private"] as const) {
    const auc = (m: MethodResult) => m[part].rocAuc ?? Number.NaN;
    const random = methods.filter((m) => m.kind === "random");
    const baselines = methods.filter((m) => m.kind === "baseline");
    const notebook = methods.filter((m) => m.kind === "notebook");
    for (const r of random)
      if (!(Math.abs(auc(r) - 0.5) <= 0.05))
        out.push(`${part}: ${r.method} at ${auc(r).toFixed(3)}, not 0.5 ± 0.05`);
    const randomAuc = random.length > 0 ? auc(random[0]) : 0.5;
    for (const b of baselines)
      if (!(auc(b) >= randomAuc + 0.1))
        out.push(
          `${part}: ${b.method} at ${auc(b).toFixed(3)}, not 0.1 above random (${randomAuc.toFixed(3)})`,
        );
    // Each notebook is written for one kind of task (02 one detector, 04 the tracker), so the check is
    // that the better of the two beats every baseline, as tests/notebooks/check_leaderboard.py checks.
    const bestBaseline = Math.max(...baselines.map(auc));
    const best = notebook.reduce<MethodResult | null>(
      (b, n) => (b === null || auc(n) > auc(b) ? n : b),
      null,
    );
    if (best !== null && !(auc(best) > bestBaseline))
      out.push(
        `${part}: the best notebook model, ${best.method}, at ${auc(best).toFixed(3)}, not above the best baseline (${bestBaseline.toFixed(3)})`,
      );
  }
  return out;
}

async function taskResult(pg: Playground, info: TaskInfo): Promise<TaskResult> {
  const boards = {} as Record<"public" | "private", LeaderboardInfo>;
  for (const scores of ["public", "private"] as const)
    boards[scores] = await pg.http.get<LeaderboardInfo>(
      `tasks/${encodeURIComponent(info.name)}/leaderboard`,
      {
        scores,
      },
    );
  const methods: MethodResult[] = boards.public.rows.map((row) => ({
    method: row.method,
    kind: NOTEBOOK_MODELS.some((m) => m.method === row.method)
      ? "notebook"
      : /^random/i.test(row.method)
        ? "random"
        : "baseline",
    public: partScores(row),
    private: partScores(boards.private.rows.find((r) => r.submission === row.submission)),
  }));
  const order = { random: 0, baseline: 1, notebook: 2 };
  methods.sort((a, b) => order[a.kind] - order[b.kind] || a.method.localeCompare(b.method));
  const split = info.split as { strategy?: string; seed?: number };
  return {
    task: info.name,
    title: info.title,
    strategy: split.strategy ?? "random",
    seed: split.seed ?? null,
    methods,
    checks: orderingViolations(methods),
  };
}

const fmt = (v: number | null, digits = 3) => (v === null || Number.isNaN(v) ? "–" : v.toFixed(digits));

function machine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  return `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

function commit(): string {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], {
      cwd: REPO,
      encoding: "utf8",
    }).trim();
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return "unknown (not a git checkout)";
  }
}

export function resultsMarkdown(
  results: TaskResult[],
  meta: { size: string; demoSeed: number; backend: string; date: string; commit: string; machine: string },
): string {
  const lines = [
    "# Results on the demo tasks",
    "",
    "The playground's results table: every baseline and the example notebooks' models on every demo task,",
    "with the metrics of the public part (the leaderboard while a task is open) and of the private part",
    "(shown when it closes). Regenerate it with `npm run results` (the full year; `-- --size small` for the",
    "small demo). See [tasks.md](tasks.md) for the tasks and [metrics.md](metrics.md) for the metrics.",
    "",
    `- demo: ${meta.size} (seed ${meta.demoSeed}); commit ${meta.commit}; ${meta.date}`,
    `- machine: ${meta.machine}; TensorFlow.js backend for the notebook models: ${meta.backend}`,
    `- the notebook models use the notebooks' own seeds (${NOTEBOOK_MODELS.map((m) => `${m.method}: ${m.seed}`).join(", ")})`,
    "",
    "Expected ordering, checked on each part: random scores within 0.5 ± 0.05 ROC AUC, every baseline at",
    "least 0.1 above random, the better of the notebooks' models above every baseline (each notebook is",
    "written for one kind of task: 02 for one detector, 04 for the tracker; both run on every task here).",
    "",
  ];
  for (const r of results) {
    lines.push(`## ${r.task}`, "");
    lines.push(
      `${r.title}. Split: ${r.strategy}${r.seed === null ? "" : `, seed ${r.seed}`}. Ordering: ${r.checks.length === 0 ? "holds on both parts" : `**violated**: ${r.checks.join("; ")}`}.`,
      "",
    );
    lines.push(
      "| method | ROC AUC public | ROC AUC private | avg. precision public | avg. precision private | saved effort public | saved effort private | recall at FPR 1e-3 public | recall at FPR 1e-3 private |",
      "|---|---|---|---|---|---|---|---|---|",
    );
    for (const m of r.methods)
      lines.push(
        `| ${m.method} | ${fmt(m.public.rocAuc)} | ${fmt(m.private.rocAuc)} | ${fmt(m.public.averagePrecision)} | ${fmt(m.private.averagePrecision)} | ${fmt(m.public.savedEffort)} | ${fmt(m.private.savedEffort)} | ${fmt(m.public.recallAt1e3)} | ${fmt(m.private.recallAt1e3)} |`,
      );
    lines.push("");
  }
  return lines.join("\n");
}

const USAGE = `npm run results -- [options]
  --size full|small   demo size (default full: the whole 2018 year)
  --home DIR          playground home to use (default: a new temporary one, removed afterwards)
  --out FILE          where to write the table (default docs/results.md for full, stdout for small)
  --no-check          exit 0 even when a task's ordering is violated`;

async function main(): Promise<void> {
  const { values } = withHelpHint(() =>
    parseArgs({
      options: {
        size: { type: "string", default: "full" },
        home: { type: "string" },
        out: { type: "string" },
        "no-check": { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    }),
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const size = values.size;
  if (size !== "full" && size !== "small") throw new Error(`--size: expected full or small, got '${size}'`);
  // The code that makes the figures is the code checked out now, not whatever the tree holds when a
  // run of half an hour ends.
  const atStart = commit();
  const home = values.home ?? fs.mkdtempSync(path.join(os.tmpdir(), "dqm-results-"));
  const out = values.out ?? (size === "full" ? path.join(REPO, "docs", "results.md") : "-");
  let stopServer: number | null = null;
  try {
    ensureDemo(CLI, home, size, log);
    const pg = await connectTo(home, CLI);
    stopServer = pg.startedPid;
    const chosen = await backend();
    log(`backend for the notebook models: ${chosen.backend}`);
    const tasks = await pg.http.all<TaskInfo>("tasks");
    const results: TaskResult[] = [];
    for (const info of tasks) {
      const task = await pg.task(info.name);
      for (const m of NOTEBOOK_MODELS) {
        log(`${info.name}: training ${m.method}`);
        await trainAndSubmit(task, m);
      }
      results.push(await taskResult(pg, info));
      log(
        `${info.name}: ${results[results.length - 1].checks.length === 0 ? "ordering holds" : "ordering violated"}`,
      );
    }
    const text = resultsMarkdown(results, {
      size,
      demoSeed: 2018,
      backend: chosen.backend,
      date: new Date().toISOString().slice(0, 10),
      commit: atStart,
      machine: machine(),
    });
    if (out === "-") process.stdout.write(text);
    else {
      fs.writeFileSync(out, text);
      log(`wrote ${out}`);
    }
    const violated = results.filter((r) => r.checks.length > 0);
    if (violated.length > 0 && !values["no-check"]) {
      for (const r of violated) log(`${r.task}: ${r.checks.join("; ")}`);
      process.exitCode = 1;
    }
  } finally {
    if (stopServer !== null) process.kill(stopServer, "SIGTERM");
    if (values.home === undefined) fs.rmSync(home, { recursive: true, force: true });
  }
}

if (require.main === module)
  main().catch((err: unknown) => {
    process.stderr.write(`results: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
