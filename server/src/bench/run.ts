/**
 * `npm run bench`: the playground's figures next to the reference a physicist would otherwise use, in
 * the same run. Ingest of the demo year and of a legacy CSV (vs pandas), one monitor element for the
 * whole year as Arrow from the running server (vs pandas on Parquet and on the legacy CSV), scoring a
 * million predictions (vs numpy), leaderboard latency under load (vs the server's health route), and
 * `ingest root` of a generated nanoDQMIO file (vs PyROOT reading it into numpy).
 * Prints a Markdown table and writes the raw figures as JSON. See BENCHMARKS.md.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { demoDatasetName, type DemoSize } from "../demo/create-demo";
import { BENCH_USAGE, parseBenchArgs, type BenchOptions } from "./options";
import { loadTest, runJob, runPython, startServer, type ServerProcess } from "./processes";
import { fetchArrow, timedGet, type ArrowFetch } from "./http-fetch";
import { benchScoring, scoringInputs, writeScoringInputs } from "./scoring-bench";
import {
  markdownTable,
  TABLE_HEADER,
  tableRows,
  type BenchResults,
  type PandasRead,
  type PyrootRead,
  type Reference,
  type RootFile,
  type RootIngestBench,
  type SklearnScore,
} from "./report";
import { secondsSince } from "./stats";

const REPO_ROOT = path.resolve(__dirname, "../../..");
/** The monitor element fetched, exported as CSV and used by the leaderboard task. */
export const BENCH_ME = "PixelPhase1/Tracks/PXBarrel/charge_PXLayer_1";

const started = performance.now();
function step(message: string): void {
  process.stderr.write(`[bench ${secondsSince(started).toFixed(0).padStart(4)} s] ${message}\n`);
}

function defaultPython(): string | null {
  if (process.env.BENCH_PYTHON) return process.env.BENCH_PYTHON;
  const venv = path.join(REPO_ROOT, ".venv-bench", "bin", "python");
  return fs.existsSync(venv) ? venv : null;
}

async function pythonVersions(
  python: string | null,
): Promise<{ versions: Record<string, string> | null; why: string }> {
  if (!python)
    return { versions: null, why: "no Python with pandas: run `npm run bench`, which sets up .venv-bench" };
  try {
    return { versions: await runPython<Record<string, string>>(python, ["versions"]), why: "" };
  } catch (err) {
    return {
      versions: null,
      why: `${python} has no pandas/pyarrow (${err instanceof Error ? err.message : err})`,
    };
  }
}

async function pyrootVersions(
  python: string | null,
): Promise<{ versions: Record<string, string> | null; why: string }> {
  if (!python)
    return { versions: null, why: "no Python with PyROOT: run `npm run bench`, which sets up .venv-bench" };
  try {
    return {
      versions: await runPython<Record<string, string>>(python, ["versions"], "pyroot_reference.py"),
      why: "",
    };
  } catch (err) {
    return {
      versions: null,
      why: `${python} has no PyROOT, which writes the nanoDQMIO file (${err instanceof Error ? err.message : err})`,
    };
  }
}

/**
 * The ROOT part: a nanoDQMIO file of at least `megabytes` MB generated with PyROOT, ingested by
 * `ingest root`'s call into a fresh home (child process), then read by PyROOT into numpy.
 */
async function benchRoot(
  python: string | null,
  megabytes: number,
  work: string,
): Promise<{ result: Reference<RootIngestBench>; versions: Record<string, string> | null }> {
  const py = await pyrootVersions(python);
  if (!py.versions || !python) {
    step(`nanoDQMIO part skipped: ${py.why}`);
    return { result: { skipped: py.why }, versions: null };
  }
  const file = path.join(work, "nanodqmio-bench.root");
  step(`generating a nanoDQMIO file of at least ${megabytes} MB with PyROOT ${py.versions.root}`);
  const generated = await runPython<RootFile>(
    python,
    ["generate", file, String(megabytes)],
    "pyroot_reference.py",
  );
  const rootHome = path.join(work, "root-home");
  try {
    step(
      `ingest root of ${generated.lumisections} lumisections (${(generated.bytes / 1e6).toFixed(0)} MB) into a fresh home`,
    );
    const playground = await runJob("root-ingest", { home: rootHome, file });
    step("PyROOT reading the same file into numpy");
    const pyroot = await runPython<PyrootRead>(python, ["read", file, "1"], "pyroot_reference.py");
    return { result: { file: generated, playground, pyroot }, versions: py.versions };
  } finally {
    fs.rmSync(rootHome, { recursive: true, force: true });
    fs.rmSync(file, { force: true });
  }
}

async function bench(opts: BenchOptions): Promise<BenchResults> {
  const size: DemoSize = opts.quick ? "small" : "full";
  const dataset = demoDatasetName(size);
  const repeat = opts.quick ? 3 : 5;
  /** Timed Arrow fetches and pandas Parquet reads (after one untimed first fetch). */
  const fetchRuns = 3;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "dqm-bench-"));
  const home = opts.home ? path.resolve(opts.home) : path.join(work, "home");
  const py = await pythonVersions(opts.python);
  const python = py.versions ? opts.python : null;
  const skipped = { skipped: py.why };
  const results: BenchResults = {
    startedAt: new Date().toISOString(),
    totalSeconds: NaN,
    machine: {
      cpu: os.cpus()[0]?.model ?? "unknown",
      cores: os.cpus().length,
      memoryBytes: os.totalmem(),
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      node: process.version,
      python: py.versions,
    },
    options: { ...opts, parts: [...opts.parts], size, dataset, home: opts.home },
  };
  if (!python) step(`reference figures skipped: ${py.why}`);
  let server: ServerProcess | null = null;
  try {
    if (opts.parts.has("scoring")) {
      step(`scoreAll on ${opts.predictions} predictions`);
      const inputs = scoringInputs(opts.predictions);
      const s = benchScoring(inputs, repeat);
      let sklearn: Reference<SklearnScore> = skipped;
      if (python) {
        step("scikit-learn on the same predictions");
        const scoresFile = path.join(work, "scores.f64");
        const labelsFile = path.join(work, "labels.u8");
        writeScoringInputs(inputs, scoresFile, labelsFile);
        sklearn = await runPython<SklearnScore>(python, ["score", scoresFile, labelsFile, String(repeat)]);
      }
      results.scoring = { ...s, sklearn };
    }

    const needData = ["ingest", "csv", "fetch", "leaderboard"].some((p) => opts.parts.has(p as never));
    if (needData) {
      step(
        `createDemo ${size} in ${home}${opts.parts.has("ingest") ? "" : " (not measured: ingest skipped)"}`,
      );
      const r = await runJob("demo-ingest", { home, size });
      if (opts.parts.has("ingest")) results.demoIngest = r;
    }
    if (opts.parts.has("generate")) {
      step(`demo generator alone (${size})`);
      results.demoGenerate = await runJob("demo-generate", { size });
    }

    let csvAll: { file: string; rows: number; bytes: number } | null = null;
    if (opts.parts.has("csv") || (opts.parts.has("fetch") && python)) {
      step(`legacy CSV of ${BENCH_ME}`);
      const e = await runJob("export-csv", {
        home,
        dataset,
        me: BENCH_ME,
        dir: work,
        headRows: opts.csvRows,
      });
      csvAll = e.all;
      if (opts.parts.has("csv")) {
        step(`ingestFile of ${e.head.rows} legacy CSV rows`);
        const csvHome = path.join(work, "csv-home");
        const p = await runJob("csv-ingest", { home: csvHome, file: e.head.file });
        fs.rmSync(csvHome, { recursive: true, force: true });
        const pyRepeat = "3";
        let pandas: Reference<PandasRead> = skipped;
        let pandasToParquet: Reference<PandasRead> = skipped;
        if (python) {
          step("pandas read_csv of the same file, then also to Parquet");
          pandas = await runPython<PandasRead>(python, ["read-csv", e.head.file, pyRepeat]);
          pandasToParquet = await runPython<PandasRead>(python, [
            "csv-to-parquet",
            e.head.file,
            path.join(work, "legacy-head.parquet"),
            pyRepeat,
          ]);
        }
        results.csvIngest = {
          me: BENCH_ME,
          rows: e.head.rows,
          bytes: e.head.bytes,
          playground: {
            seconds: p.seconds,
            records: p.records,
            maxRssBytes: p.maxRssBytes,
            rssAfterOpenBytes: p.rssAfterOpenBytes,
          },
          pandas,
          pandasToParquet,
        };
      }
    }

    let setup: Awaited<ReturnType<typeof runJob<"leaderboard-setup">>> | null = null;
    if (opts.parts.has("leaderboard")) {
      step(`leaderboard task with ${opts.submissions} submissions`);
      setup = await runJob("leaderboard-setup", {
        home,
        dataset,
        me: BENCH_ME,
        submissions: opts.submissions,
      });
    }

    const arrowFile = path.join(work, "histograms.arrows");
    let fetches: { first: ArrowFetch; runs: ArrowFetch[] } | null = null;
    if (opts.parts.has("fetch") || setup) {
      step("starting the server");
      server = await startServer(home);
      if (opts.parts.has("fetch")) {
        step(`GET ${BENCH_ME} as Arrow (1 + ${fetchRuns} runs)`);
        const first = await fetchArrow(server.url, server.token, dataset, BENCH_ME);
        fs.writeFileSync(arrowFile, first.body);
        const runs: ArrowFetch[] = [];
        for (let i = 0; i < fetchRuns; i++)
          runs.push((await fetchArrow(server.url, server.token, dataset, BENCH_ME)).fetch);
        fetches = { first: first.fetch, runs };
      }
      if (setup) {
        const url = `${server.url}/api/v1/tasks/${setup.task}/leaderboard`;
        const check = await timedGet(url, { authorization: `Bearer ${server.token}` });
        if (check.status !== 200)
          throw new Error(`GET ${url} answered ${check.status}: ${check.body.toString()}`);
        const boardRows = (JSON.parse(check.body.toString()) as { rows: unknown[] }).rows.length;
        const load = { connections: opts.connections, duration: opts.duration };
        step(`load: leaderboard, ${opts.connections} connections, ${opts.duration} s`);
        const leaderboard = await loadTest(url, server.token, load);
        step(`load: health, ${opts.connections} connections, ${opts.duration} s`);
        const health = await loadTest(`${server.url}/api/v1/health`, server.token, load);
        results.leaderboard = { setup, boardRows, leaderboard, health };
      }
      await server.stop();
      server = null;
    }

    if (fetches) {
      let parquet: Reference<PandasRead> = skipped;
      let csv: Reference<PandasRead> = skipped;
      if (python) {
        const parquetFile = path.join(work, "histograms.parquet");
        step("pandas read_parquet of the same rows");
        await runPython(python, ["arrow-to-parquet", arrowFile, parquetFile]);
        parquet = await runPython<PandasRead>(python, ["read-parquet", parquetFile, String(fetchRuns)]);
        if (csvAll) {
          step(`pandas read_csv of the legacy CSV (${csvAll.rows} rows)`);
          csv = await runPython<PandasRead>(python, ["read-csv", csvAll.file, String(fetchRuns)]);
        }
      }
      results.fetch = { dataset, me: BENCH_ME, ...fetches, parquet, csv };
    }

    if (opts.parts.has("root")) {
      const root = await benchRoot(opts.python, opts.rootMegabytes, work);
      results.rootIngest = root.result;
      results.machine.pyroot = root.versions;
    }
  } finally {
    await server?.stop();
    if (opts.keepHome) step(`kept ${work}${opts.home ? ` (home ${home})` : ""}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
  results.totalSeconds = secondsSince(started);
  return results;
}

async function main(): Promise<void> {
  const opts = parseBenchArgs(process.argv.slice(2), defaultPython());
  if (opts.help) {
    process.stdout.write(BENCH_USAGE);
    return;
  }
  const results = await bench(opts);
  const m = results.machine;
  const py = m.python
    ? `Python ${m.python.python}, pandas ${m.python.pandas}, pyarrow ${m.python.pyarrow}, numpy ${m.python.numpy}, scikit-learn ${m.python.sklearn}`
    : "no pandas";
  const root = m.pyroot ? `; ROOT ${m.pyroot.root} (PyROOT), numpy ${m.pyroot.numpy}` : "";
  process.stdout.write(
    `\nDQM Playground benchmark, ${results.startedAt}, ${results.totalSeconds.toFixed(0)} s\n` +
      `${m.cpu}, ${m.cores} cores, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB; ${m.os}; Node ${m.node}; ${py}${root}\n\n` +
      markdownTable(TABLE_HEADER, tableRows(results)) +
      "\n",
  );
  const out =
    opts.out === "bench-results/latest.json" ? path.join(REPO_ROOT, opts.out) : path.resolve(opts.out);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
  process.stdout.write(`\nraw figures: ${path.relative(process.cwd(), out) || out}\n`);
}

if (require.main === module)
  main().catch((err: unknown) => {
    process.stderr.write(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
