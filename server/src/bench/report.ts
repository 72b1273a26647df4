/** The benchmark's results, and the table printed from them (a Markdown table, so it pastes into docs). */
import type { DemoIngestResult, LeaderboardSetupResult, RootIngestResult } from "./jobs";
import type { LoadResult } from "./processes";
import type { ArrowFetch } from "./http-fetch";
import type { ScoringResult } from "./scoring-bench";
import { megabytes, median, perSecond } from "./stats";

export interface Machine {
  cpu: string;
  cores: number;
  memoryBytes: number;
  os: string;
  node: string;
  python: Record<string, string> | null;
  /** Python, ROOT and numpy versions of the PyROOT reference, when the ROOT part ran with it. */
  pyroot?: Record<string, string> | null;
}

/** A pandas/numpy figure, or why there is none. */
export type Reference<T> = T | { skipped: string };

export interface PandasRead {
  seconds: number[];
  rows: number;
  bytes: number;
  /** read-parquet only: pyarrow.parquet.read_table of the same file (no conversion to pandas). */
  pyarrowSeconds?: number[];
}

/** scikit-learn's metrics (and numpy's rank ROC AUC alone) on the same predictions as scoreAll. */
export interface SklearnScore {
  n: number;
  seconds: number[];
  metrics: { rocAuc: number; averagePrecision: number; recallAtFpr: Record<string, number> };
  numpySeconds: number[];
  numpyRocAuc: number;
}

/** The generated nanoDQMIO file (pyroot_reference.py generate). */
export interface RootFile {
  bytes: number;
  runs: number;
  lumisections: number;
  monitorElements: number;
  histograms: number;
  seconds: number;
}

/** PyROOT reading every per-lumisection TH1/TH2 of the file into numpy (pyroot_reference.py read). */
export interface PyrootRead {
  seconds: number[];
  histograms: number;
  lumisections: number;
  values: number;
  bytes: number;
  maxRssBytes: number;
  /** RSS with ROOT and numpy imported, before the file is opened. */
  rssAfterImportBytes: number;
}

export interface RootIngestBench {
  file: RootFile;
  playground: RootIngestResult & { maxRssBytes: number };
  pyroot: Reference<PyrootRead>;
}

export interface BenchResults {
  startedAt: string;
  totalSeconds: number;
  machine: Machine;
  options: Record<string, unknown>;
  demoIngest?: DemoIngestResult & { maxRssBytes: number };
  demoGenerate?: { records: number; seconds: number };
  csvIngest?: {
    me: string;
    rows: number;
    bytes: number;
    playground: { seconds: number; records: number; maxRssBytes: number; rssAfterOpenBytes: number };
    /** pandas.read_csv + json.loads of the histo column. */
    pandas: Reference<PandasRead>;
    /** The same, then the histograms as a float32 matrix written to Parquet. */
    pandasToParquet: Reference<PandasRead>;
  };
  fetch?: {
    dataset: string;
    me: string;
    /** The first request after the server started (cold JIT), then the timed ones. */
    first: ArrowFetch;
    runs: ArrowFetch[];
    parquet: Reference<PandasRead>;
    csv: Reference<PandasRead>;
  };
  scoring?: ScoringResult & { sklearn: Reference<SklearnScore> };
  leaderboard?: {
    setup: LeaderboardSetupResult & { maxRssBytes: number };
    boardRows: number;
    leaderboard: LoadResult;
    health: LoadResult;
  };
  /** `ingest root` of a generated nanoDQMIO file vs PyROOT; skipped (the file needs PyROOT) without it. */
  rootIngest?: Reference<RootIngestBench>;
}

export function isSkipped<T extends object>(r: Reference<T> | undefined): r is { skipped: string } {
  return r === undefined || "skipped" in r;
}

/** 1234567.8 -> "1,234,568"; fixed decimals below 100 when asked. */
export function num(x: number, decimals = 0): string {
  if (!Number.isFinite(x)) return "n/a";
  return x.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function seconds(s: number): string {
  if (!Number.isFinite(s)) return "n/a";
  return s >= 10 ? `${num(s, 1)} s` : s >= 1 ? `${num(s, 2)} s` : `${num(s * 1000, 0)} ms`;
}

export function ms(x: number): string {
  return !Number.isFinite(x) ? "n/a" : x >= 100 ? `${num(x, 0)} ms` : `${num(x, 1)} ms`;
}

export function mb(bytes: number): string {
  return `${num(megabytes(bytes), 1)} MB`;
}

export function gib(bytes: number): string {
  return `${num(bytes / 2 ** 30, 2)} GiB`;
}

/** "2.4x faster" / "3.1x slower" for a playground time against a reference time. */
export function speedup(playgroundSeconds: number, referenceSeconds: number): string {
  const r = referenceSeconds / playgroundSeconds;
  if (!Number.isFinite(r) || r <= 0) return "n/a";
  return r >= 1 ? `${num(r, r >= 10 ? 0 : 1)}x faster` : `${num(1 / r, 1 / r >= 10 ? 0 : 1)}x slower`;
}

export type Row = [benchmark: string, playground: string, reference: string, comparison: string];

export const TABLE_HEADER: Row = [
  "Benchmark",
  "DQM Playground",
  "Reference (same run)",
  "Playground vs reference",
];

/** "pandas read_csv: 1.20 s, 20.1 MB/s, 5,000 LS/s" (MB/s of the file read). */
function pandasCell(r: Reference<PandasRead>, what: string, withFileSize = false): string {
  if (isSkipped(r)) return `${what}: skipped (${r.skipped})`;
  const s = median(r.seconds);
  const file = withFileSize ? `; ${mb(r.bytes)} file` : "";
  return `${what}: ${seconds(s)}${file}; ${num(megabytes(r.bytes) / s, 1)} MB/s; ${num(perSecond(r.rows, s))} LS/s`;
}

function versus(playgroundSeconds: number, r: Reference<PandasRead>, what: string): string {
  return isSkipped(r) ? "" : `${speedup(playgroundSeconds, median(r.seconds))} than ${what}`;
}

/** Largest absolute difference between scoreAll's metrics and scikit-learn's (NaN when one is missing). */
export function metricsDifference(a: ScoringResult["metrics"], b: SklearnScore["metrics"]): number {
  const pairs: Array<[number, number | undefined]> = [
    [a.rocAuc, b.rocAuc],
    [a.averagePrecision, b.averagePrecision],
    ...Object.entries(a.recallAtFpr).map(([k, v]): [number, number | undefined] => [v, b.recallAtFpr[k]]),
  ];
  let worst = 0;
  for (const [x, y] of pairs) {
    if (y === undefined) return NaN;
    worst = Math.max(worst, Math.abs(x - y));
  }
  return worst;
}

function joined(...parts: string[]): string {
  return parts.filter((p) => p !== "").join("; ") || "n/a";
}

/** The table rows, in the order of the parts. */
export function tableRows(r: BenchResults): Row[] {
  const rows: Row[] = [];
  const d = r.demoIngest;
  const gen = r.demoGenerate;
  if (d) {
    if (d.existed)
      rows.push([`Demo ingest (${d.dataset})`, "not measured: the home had the data set already", "", ""]);
    else
      rows.push([
        `Demo ingest, ${d.dataset} (${num(d.lumisections)} LS x ${d.monitorElements} MEs), fresh home`,
        `histograms: ${seconds(d.histogramSeconds)} = ${num(perSecond(d.lumisections, d.histogramSeconds))} LS/s ` +
          `(${num(perSecond(d.records, d.histogramSeconds))} histograms/s); all of createDemo (+ metadata, ` +
          `certification, tasks, baselines): ${seconds(d.totalSeconds)} = ` +
          `${num(perSecond(d.lumisections, d.totalSeconds))} LS/s; ` +
          `peak RSS ${gib(d.maxRssBytes)} (${gib(d.rssAfterOpenBytes)} with the store just opened)`,
        gen
          ? `demo generator alone (no store): ${seconds(gen.seconds)}, ` +
            `${num(perSecond(d.lumisections * (gen.records / d.records), gen.seconds))} LS/s`
          : "",
        gen
          ? `generating = ${num((100 * gen.seconds) / d.histogramSeconds)} % of the histogram ingest time`
          : "",
      ]);
  } else if (gen) {
    rows.push([
      "Demo generator alone (no store)",
      `${seconds(gen.seconds)}, ${num(perSecond(gen.records, gen.seconds))} histograms/s`,
      "",
      "",
    ]);
  }
  const c = r.csvIngest;
  if (c) {
    const p = c.playground;
    rows.push([
      `Legacy CSV ingest, 1 ME x ${num(c.rows)} LS (${mb(c.bytes)})`,
      `ingestFile: ${seconds(p.seconds)}; ${num(megabytes(c.bytes) / p.seconds, 1)} MB/s; ` +
        `${num(perSecond(c.rows, p.seconds))} LS/s; ` +
        `peak RSS ${gib(p.maxRssBytes)} (${gib(p.rssAfterOpenBytes)} with the store just opened)`,
      joined(
        pandasCell(c.pandas, "pandas read_csv + json.loads(histo)"),
        isSkipped(c.pandasToParquet) ? "" : pandasCell(c.pandasToParquet, "the same + write Parquet"),
      ),
      joined(
        versus(p.seconds, c.pandas, "read_csv"),
        versus(p.seconds, c.pandasToParquet, "read_csv + Parquet"),
      ),
    ]);
  }
  const f = r.fetch;
  if (f) {
    const total = median(f.runs.map((x) => x.totalMs)) / 1000;
    const decode = median(f.runs.map((x) => x.decodeMs)) / 1000;
    const firstByte = median(f.runs.map((x) => x.firstByteMs));
    const a = f.runs[0] ?? f.first;
    const cell =
      `Arrow over HTTP: ${seconds(total)} (first byte ${ms(firstByte)}) + decode ${seconds(decode)}; ` +
      `${mb(a.bytes)}, ${num(megabytes(a.bytes) / (total + decode), 0)} MB/s; ` +
      `${num(a.rows)} LS x ${a.bins} bins (median of ${f.runs.length}; first request ${seconds(f.first.totalMs / 1000)})`;
    const what = `One ME, whole ${f.dataset} (${f.me.split("/").pop()}): Arrow from the running server`;
    rows.push([
      `${what} vs pandas on Parquet`,
      cell,
      joined(
        pandasCell(f.parquet, "pandas read_parquet", true),
        !isSkipped(f.parquet) && f.parquet.pyarrowSeconds
          ? `pyarrow read_table alone: ${seconds(median(f.parquet.pyarrowSeconds))}`
          : "",
      ),
      joined(
        versus(total + decode, f.parquet, "read_parquet"),
        !isSkipped(f.parquet) && f.parquet.pyarrowSeconds
          ? `${speedup(total + decode, median(f.parquet.pyarrowSeconds))} than pyarrow read_table`
          : "",
      ),
    ]);
    rows.push([
      `${what} vs pandas on the legacy CSV`,
      "(same)",
      pandasCell(f.csv, "pandas read_csv + json.loads(histo)", true),
      joined(versus(total + decode, f.csv, "read_csv")),
    ]);
  }
  const s = r.scoring;
  if (s) {
    const ref = s.sklearn;
    let reference = `scikit-learn: skipped`;
    let comparison = "n/a";
    if (isSkipped(ref)) reference = `scikit-learn: skipped (${ref.skipped})`;
    else {
      const sk = median(ref.seconds);
      const np = median(ref.numpySeconds);
      const diff = metricsDifference(s.metrics, ref.metrics);
      reference =
        `scikit-learn roc_auc_score + average_precision_score + roc_curve (recall@FPR): ${seconds(sk)}; ` +
        `numpy rank-formula ROC AUC alone: ${seconds(np)}`;
      comparison = joined(
        `${speedup(s.medianMs / 1000, sk)} than scikit-learn (which has no grey zone)`,
        `${speedup(s.medianMs / 1000, np)} than numpy's AUC alone`,
        diff <= 1e-9
          ? "same metrics (to 1e-9)"
          : `METRICS DIFFER by ${Number.isNaN(diff) ? "a missing value" : diff.toExponential(1)}`,
      );
    }
    rows.push([
      `scoreAll, ${num(s.predictions)} predictions (ROC AUC, AP, grey zone, recall@FPR)`,
      `${seconds(s.medianMs / 1000)} (median of ${s.runsMs.length}); ROC AUC ${num(s.metrics.rocAuc, 4)}`,
      reference,
      comparison,
    ]);
  }
  const l = r.leaderboard;
  if (l) {
    // autocannon records latencies in whole milliseconds.
    const load = (x: LoadResult) =>
      `p50 ${num(x.latencyMs.p50)} ms, p99 ${num(x.latencyMs.p99)} ms, mean ${num(x.latencyMs.mean, 1)} ms; ` +
      `${num(x.requestsPerSecond)} req/s` +
      (x.non2xx + x.errors + x.timeouts > 0
        ? `; ${x.non2xx} non-2xx, ${x.errors} errors, ${x.timeouts} timeouts`
        : "");
    rows.push([
      `GET /tasks/${l.setup.task}/leaderboard, ${num(l.setup.submissions)} submissions (${l.boardRows} rows), ` +
        `${l.leaderboard.connections} connections, ${num(l.leaderboard.durationSeconds)} s (autocannon)`,
      load(l.leaderboard),
      `GET /health, same load: ${load(l.health)}`,
      `${num((100 * l.leaderboard.requestsPerSecond) / l.health.requestsPerSecond, 1)} % of /health's req/s`,
    ]);
  }
  if (r.rootIngest) rows.push(rootIngestRow(r.rootIngest));
  return rows;
}

/** The nanoDQMIO row: `ingest root` of the generated file next to PyROOT reading it into numpy. */
export function rootIngestRow(r: Reference<RootIngestBench>): Row {
  if (isSkipped(r))
    return ["nanoDQMIO ingest (generated file, ingest root vs PyROOT)", `skipped (${r.skipped})`, "", ""];
  const { file: f, playground: p, pyroot: py } = r;
  const rates = (s: number, lumisections: number, histograms: number) =>
    `${seconds(s)}; ${num(megabytes(f.bytes) / s, 1)} MB/s; ${num(perSecond(lumisections, s))} LS/s ` +
    `(${num(perSecond(histograms, s))} histograms/s)`;
  let reference: string;
  let comparison: string;
  if (isSkipped(py)) {
    reference = `PyROOT: skipped (${py.skipped})`;
    comparison = "n/a";
  } else {
    const s = median(py.seconds);
    reference =
      `PyROOT, Indices + type trees to numpy: ${rates(s, py.lumisections, py.histograms)}; ` +
      `peak RSS ${gib(py.maxRssBytes)} (${gib(py.rssAfterImportBytes)} with ROOT imported)`;
    comparison = joined(
      `${speedup(p.seconds, s)} than PyROOT`,
      py.histograms === p.records
        ? ""
        : `HISTOGRAM COUNTS DIFFER: ${num(p.records)} ingested, ${num(py.histograms)} read by PyROOT`,
    );
  }
  return [
    `nanoDQMIO ingest, generated file: ${num(f.runs)} runs, ${num(f.lumisections)} LS x ${f.monitorElements} MEs ` +
      `(${num(f.histograms)} TH1F/TH2F, ${mb(f.bytes)}), fresh home`,
    `ingest root: ${rates(p.seconds, p.lumisections, p.records)}; ` +
      `peak RSS ${gib(p.maxRssBytes)} (${gib(p.rssAfterOpenBytes)} with the store just opened)`,
    reference,
    comparison,
  ];
}

/** Rows as a Markdown table with padded columns. */
export function markdownTable(header: Row, rows: Row[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(3, ...all.map((r) => r[i].length)));
  const line = (r: readonly string[]) => `| ${r.map((cell, i) => cell.padEnd(widths[i])).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
