/**
 * Unit tests of the benchmark's own code: option parsing, statistics, the printed table, the legacy CSV
 * writer and the scoring inputs. Fast and without a store, a server or Python; nothing here asserts on a
 * measured time, only on how figures are computed and shown. (`npm run bench -- --quick` runs it all.)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseBenchArgs, BENCH_PARTS, ROOT_MEGABYTES } from "./options";
import { median, megabytes, perSecond } from "./stats";
import {
  markdownTable,
  metricsDifference,
  ms,
  rootIngestRow,
  num,
  seconds,
  speedup,
  tableRows,
  TABLE_HEADER,
  type BenchResults,
  type PyrootRead,
  type RootIngestBench,
  type SklearnScore,
} from "./report";
import { legacyCsvLine, metypeOf, writeLegacyCsvBatches, type CsvMonitorElement } from "./legacy-csv-writer";
import { scoringInputs, writeScoringInputs } from "./scoring-bench";
import { readLegacyCsv } from "../ingest/legacy-csv";
import { fullSize, splitFlow, type Binning, type HistogramRecord } from "../histograms/record";
import { batchFromColumns, binsData, dataSchema, float64Data, int32Data } from "../histograms/arrow-layout";
import type { RecordBatch } from "apache-arrow";

describe("parseBenchArgs", () => {
  it("runs every part of the full benchmark by default", () => {
    const o = parseBenchArgs([], "/py");
    expect(o.quick).toBe(false);
    expect([...o.parts]).toEqual([...BENCH_PARTS]);
    expect(o.python).toBe("/py");
    expect(o.duration).toBe(10);
    expect(o.connections).toBe(10);
    expect(o.predictions).toBe(1_000_000);
    expect(o.submissions).toBe(50);
    expect(o.csvRows).toBe(50_000);
    expect(o.rootMegabytes).toBe(200);
    expect(o.out).toBe("bench-results/latest.json");
  });

  it("shortens the load runs with --quick and reads every option", () => {
    const o = parseBenchArgs(
      [
        "--quick",
        "--skip",
        "csv,fetch",
        "--python",
        "none",
        "--connections",
        "4",
        "--home",
        "/h",
        "--keep-home",
      ],
      "/py",
    );
    expect(o.quick).toBe(true);
    expect(o.duration).toBe(3);
    expect([...o.parts]).toEqual(["ingest", "generate", "scoring", "leaderboard", "root"]);
    expect(o.rootMegabytes).toBe(ROOT_MEGABYTES.quick);
    expect(o.python).toBeNull();
    expect(o.connections).toBe(4);
    expect(o.home).toBe("/h");
    expect(o.keepHome).toBe(true);
    expect(parseBenchArgs(["--quick", "--duration", "7"], null).duration).toBe(7);
    expect(parseBenchArgs(["--quick", "--root-mb", "250"], null).rootMegabytes).toBe(250);
    expect([...parseBenchArgs(["--only", "scoring"], null).parts]).toEqual(["scoring"]);
    expect(parseBenchArgs(["--help"], null).help).toBe(true);
  });

  it("rejects what it does not understand, saying why", () => {
    expect(() => parseBenchArgs(["--skip", "ingest,nope"], null)).toThrow(
      "--skip: unknown part 'nope', expected some of ingest, generate, csv, fetch, scoring, leaderboard, root",
    );
    // Node's util.parseArgs says these
    expect(() => parseBenchArgs(["--fast"], null)).toThrow("Unknown option '--fast'");
    expect(() => parseBenchArgs(["--duration"], null)).toThrow(
      "Option '--duration <value>' argument missing",
    );
    expect(() => parseBenchArgs(["--home", "--quick"], null)).toThrow(
      "Option '--home' argument is ambiguous",
    );
    expect(() => parseBenchArgs(["--predictions", "1.5"], null)).toThrow(
      "--predictions needs a positive integer, got '1.5'",
    );
    expect(() => parseBenchArgs(["--root-mb", "0"], null)).toThrow(
      "--root-mb needs a positive integer, got '0'",
    );
    expect(() => parseBenchArgs(["--only", "csv", "--skip", "fetch"], null)).toThrow(
      "--only and --skip cannot be combined",
    );
  });
});

describe("stats and formatting", () => {
  it("computes medians and rates", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(perSecond(10, 4)).toBe(2.5);
    expect(perSecond(10, 0)).toBeNaN();
    expect(megabytes(2_500_000)).toBe(2.5);
  });

  it("formats numbers, durations and ratios", () => {
    expect(num(1234567.8)).toBe("1,234,568");
    expect(num(NaN)).toBe("n/a");
    expect(seconds(0.0123)).toBe("12 ms");
    expect(seconds(2.345)).toBe("2.35 s");
    expect(seconds(123.45)).toBe("123.5 s");
    expect(ms(12.34)).toBe("12.3 ms");
    expect(ms(1234)).toBe("1,234 ms");
    expect(speedup(1, 4)).toBe("4.0x faster");
    expect(speedup(2, 1)).toBe("2.0x slower");
    expect(speedup(1, 40)).toBe("40x faster");
    expect(speedup(0, 1)).toBe("n/a");
  });

  it("pads a Markdown table", () => {
    expect(markdownTable(["a", "bb", "c", "d"], [["xxxx", "y", "", "z"]])).toBe(
      ["| a    | bb  | c   | d   |", "| ---- | --- | --- | --- |", "| xxxx | y   |     | z   |"].join("\n"),
    );
  });

  it("gives scoreAll's largest difference from scikit-learn's metrics", () => {
    const ours = { rocAuc: 0.7, averagePrecision: 0.2, recallAtFpr: { "0.01": 0.1, "0.001": 0.05 } };
    expect(metricsDifference(ours, { ...ours, recallAtFpr: { ...ours.recallAtFpr } })).toBe(0);
    expect(metricsDifference(ours, { ...ours, recallAtFpr: { "0.01": 0.1, "0.001": 0.0375 } })).toBeCloseTo(
      0.0125,
      12,
    );
    expect(metricsDifference(ours, { ...ours, recallAtFpr: { "0.01": 0.1 } })).toBeNaN();
  });
});

const GIB = 2 ** 30;

/** Results of every part with round figures, so that each printed cell can be checked exactly. */
function fullResults(): BenchResults {
  const metrics = { rocAuc: 0.75, averagePrecision: 0.25, recallAtFpr: { "0.01": 0.1, "0.001": 0.02 } };
  const load = (requestsPerSecond: number, p50: number) => ({
    connections: 10,
    durationSeconds: 10,
    requests: requestsPerSecond * 10,
    requestsPerSecond,
    latencyMs: { p50, p90: p50 * 2, p99: p50 * 4, max: p50 * 10, mean: p50 * 1.5 },
    non2xx: 0,
    errors: 0,
    timeouts: 0,
  });
  return {
    startedAt: "2026-01-01T00:00:00.000Z",
    totalSeconds: 100,
    machine: { cpu: "cpu", cores: 2, memoryBytes: GIB, os: "os", node: "v20", python: null },
    options: {},
    demoIngest: {
      dataset: "demo-2018",
      existed: false,
      lumisections: 200_000,
      monitorElements: 10,
      records: 2_000_000,
      totalSeconds: 100,
      histogramSeconds: 40,
      rssAfterOpenBytes: GIB / 2,
      maxRssBytes: GIB,
    },
    demoGenerate: { records: 2_000_000, seconds: 10 },
    csvIngest: {
      me: "A/b",
      rows: 1000,
      bytes: 2_000_000,
      playground: { seconds: 2, records: 1000, maxRssBytes: GIB, rssAfterOpenBytes: GIB / 2 },
      pandas: { seconds: [1, 1, 5], rows: 1000, bytes: 2_000_000 },
      pandasToParquet: { seconds: [4, 4, 4], rows: 1000, bytes: 2_000_000 },
    },
    fetch: {
      dataset: "demo-2018",
      me: "A/charge",
      first: { firstByteMs: 50, totalMs: 500, decodeMs: 5, bytes: 100_000_000, rows: 200_000, bins: 102 },
      runs: [300, 200, 250].map((totalMs) => ({
        firstByteMs: 10,
        totalMs,
        decodeMs: 50,
        bytes: 100_000_000,
        rows: 200_000,
        bins: 102,
      })),
      parquet: {
        seconds: [0.6, 0.6, 0.6],
        rows: 200_000,
        bytes: 60_000_000,
        pyarrowSeconds: [0.15, 0.15, 0.15],
      },
      csv: { skipped: "no pandas" },
    },
    scoring: {
      predictions: 1_000_000,
      bad: 50_000,
      runsMs: [100, 120, 110],
      medianMs: 110,
      metrics,
      sklearn: {
        n: 1_000_000,
        seconds: [0.44, 0.44, 0.5],
        metrics: { ...metrics, recallAtFpr: { ...metrics.recallAtFpr } },
        numpySeconds: [0.11, 0.11, 0.11],
        numpyRocAuc: 0.75,
      },
    },
    leaderboard: {
      setup: {
        task: "bench-leaderboard",
        testRows: 100,
        submissions: 50,
        users: 10,
        taskSeconds: 1,
        submitSeconds: 1,
        maxRssBytes: GIB,
      },
      boardRows: 50,
      leaderboard: load(250, 30),
      health: load(10_000, 1),
    },
  };
}

function rootResults(): RootIngestBench {
  return {
    file: {
      bytes: 200_000_000,
      runs: 50,
      lumisections: 25_000,
      monitorElements: 8,
      histograms: 200_000,
      seconds: 90,
    },
    playground: {
      records: 200_000,
      lumisections: 25_000,
      monitorElements: 8,
      skipped: { perRun: 0, scalar: 0, unsupported: 0, unselected: 0, otherKeys: 0 },
      seconds: 100,
      rssAfterOpenBytes: GIB / 2,
      maxRssBytes: GIB,
    },
    pyroot: {
      seconds: [25],
      histograms: 200_000,
      lumisections: 25_000,
      values: 50_000_000,
      bytes: 200_000_000,
      maxRssBytes: GIB / 4,
      rssAfterImportBytes: GIB / 8,
    },
  };
}

describe("rootIngestRow", () => {
  it("gives ingest root's and PyROOT's rates on the same file, and their ratio", () => {
    expect(rootIngestRow(rootResults())).toEqual([
      "nanoDQMIO ingest, generated file: 50 runs, 25,000 LS x 8 MEs (200,000 TH1F/TH2F, 200.0 MB), fresh home",
      "ingest root: 100.0 s; 2.0 MB/s; 250 LS/s (2,000 histograms/s); peak RSS 1.00 GiB (0.50 GiB with the store just opened)",
      "PyROOT, Indices + type trees to numpy: 25.0 s; 8.0 MB/s; 1,000 LS/s (8,000 histograms/s); " +
        "peak RSS 0.25 GiB (0.13 GiB with ROOT imported)",
      "4.0x slower than PyROOT",
    ]);
  });

  it("says when PyROOT is missing, or read another number of histograms", () => {
    expect(rootIngestRow({ skipped: "no PyROOT" })).toEqual([
      "nanoDQMIO ingest (generated file, ingest root vs PyROOT)",
      "skipped (no PyROOT)",
      "",
      "",
    ]);
    const r = rootResults();
    (r.pyroot as PyrootRead).histograms = 199_999;
    expect(rootIngestRow(r)[3]).toBe(
      "4.0x slower than PyROOT; HISTOGRAM COUNTS DIFFER: 200,000 ingested, 199,999 read by PyROOT",
    );
    r.pyroot = { skipped: "no PyROOT" };
    expect(rootIngestRow(r).slice(2)).toEqual(["PyROOT: skipped (no PyROOT)", "n/a"]);
  });

  it("is the last row of the table", () => {
    const r = fullResults();
    r.rootIngest = rootResults();
    const rows = tableRows(r);
    expect(rows).toHaveLength(tableRows(fullResults()).length + 1);
    expect(rows[rows.length - 1]).toEqual(rootIngestRow(r.rootIngest));
  });
});

describe("tableRows", () => {
  it("prints one row per part, with rates and ratios against the reference", () => {
    const rows = tableRows(fullResults());
    expect(TABLE_HEADER).toHaveLength(4);
    expect(rows).toEqual([
      [
        "Demo ingest, demo-2018 (200,000 LS x 10 MEs), fresh home",
        "histograms: 40.0 s = 5,000 LS/s (50,000 histograms/s); all of createDemo (+ metadata, certification, " +
          "tasks, baselines): 100.0 s = 2,000 LS/s; peak RSS 1.00 GiB (0.50 GiB with the store just opened)",
        "demo generator alone (no store): 10.0 s, 20,000 LS/s",
        "generating = 25 % of the histogram ingest time",
      ],
      [
        "Legacy CSV ingest, 1 ME x 1,000 LS (2.0 MB)",
        "ingestFile: 2.00 s; 1.0 MB/s; 500 LS/s; peak RSS 1.00 GiB (0.50 GiB with the store just opened)",
        "pandas read_csv + json.loads(histo): 1.00 s; 2.0 MB/s; 1,000 LS/s; " +
          "the same + write Parquet: 4.00 s; 0.5 MB/s; 250 LS/s",
        "2.0x slower than read_csv; 2.0x faster than read_csv + Parquet",
      ],
      [
        "One ME, whole demo-2018 (charge): Arrow from the running server vs pandas on Parquet",
        "Arrow over HTTP: 250 ms (first byte 10.0 ms) + decode 50 ms; 100.0 MB, 333 MB/s; " +
          "200,000 LS x 102 bins (median of 3; first request 500 ms)",
        "pandas read_parquet: 600 ms; 60.0 MB file; 100.0 MB/s; 333,333 LS/s; pyarrow read_table alone: 150 ms",
        "2.0x faster than read_parquet; 2.0x slower than pyarrow read_table",
      ],
      [
        "One ME, whole demo-2018 (charge): Arrow from the running server vs pandas on the legacy CSV",
        "(same)",
        "pandas read_csv + json.loads(histo): skipped (no pandas)",
        "n/a",
      ],
      [
        "scoreAll, 1,000,000 predictions (ROC AUC, AP, grey zone, recall@FPR)",
        "110 ms (median of 3); ROC AUC 0.7500",
        "scikit-learn roc_auc_score + average_precision_score + roc_curve (recall@FPR): 440 ms; " +
          "numpy rank-formula ROC AUC alone: 110 ms",
        "4.0x faster than scikit-learn (which has no grey zone); 1.0x faster than numpy's AUC alone; " +
          "same metrics (to 1e-9)",
      ],
      [
        "GET /tasks/bench-leaderboard/leaderboard, 50 submissions (50 rows), 10 connections, 10 s (autocannon)",
        "p50 30 ms, p99 120 ms, mean 45.0 ms; 250 req/s",
        "GET /health, same load: p50 1 ms, p99 4 ms, mean 1.5 ms; 10,000 req/s",
        "2.5 % of /health's req/s",
      ],
    ]);
  });

  it("says when the references were skipped, the metrics differ or requests failed", () => {
    const r = fullResults();
    r.csvIngest!.pandas = { skipped: "no Python" };
    r.csvIngest!.pandasToParquet = { skipped: "no Python" };
    const sklearn = r.scoring!.sklearn as SklearnScore;
    r.scoring!.sklearn = { ...sklearn, metrics: { ...sklearn.metrics, rocAuc: 0.5 } };
    r.leaderboard!.leaderboard.non2xx = 3;
    const rows = tableRows(r);
    expect(rows[1].slice(2)).toEqual(["pandas read_csv + json.loads(histo): skipped (no Python)", "n/a"]);
    expect(rows[4][3]).toContain("METRICS DIFFER by 2.5e-1");
    expect(rows[5][1]).toBe(
      "p50 30 ms, p99 120 ms, mean 45.0 ms; 250 req/s; 3 non-2xx, 0 errors, 0 timeouts",
    );
    r.scoring!.sklearn = { skipped: "no Python" };
    expect(tableRows(r)[4].slice(2)).toEqual(["scikit-learn: skipped (no Python)", "n/a"]);
  });

  it("does not claim a figure for a data set the home had already", () => {
    const r = fullResults();
    r.demoIngest!.existed = true;
    expect(tableRows(r)[0]).toEqual([
      "Demo ingest (demo-2018)",
      "not measured: the home had the data set already",
      "",
      "",
    ]);
    delete r.demoIngest;
    expect(tableRows(r)[0]).toEqual([
      "Demo generator alone (no store)",
      "10.0 s, 200,000 histograms/s",
      "",
      "",
    ]);
  });
});

const BINNING_1D: Binning = { dim: 1, xmin: -0.5, xmax: 10, xbins: 4, ymin: 0, ymax: 1, ybins: 1 };
const BINNING_2D: Binning = { dim: 2, xmin: 0, xmax: 3, xbins: 3, ymin: -2, ymax: 2, ybins: 2 };

/** One batch as `histogramBatches` gives it with the flow bins joined in: values chosen to be recognisable. */
function batch(b: Binning, runs: number[], lss: number[]): RecordBatch {
  const width = fullSize(b);
  const data = Float32Array.from({ length: runs.length * width }, (_, k) => (k % 7) * 0.1 + runs[0] / 1000);
  return batchFromColumns(dataSchema(width), [
    int32Data(Int32Array.from(runs)),
    int32Data(Int32Array.from(lss)),
    float64Data(Float64Array.from(lss, (ls) => ls * 1.5)),
    binsData(data, width),
  ]);
}

async function readBack(file: string): Promise<HistogramRecord[]> {
  const records: HistogramRecord[] = [];
  for await (const r of readLegacyCsv(file)) records.push(r);
  return records;
}

describe("legacy CSV writer", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "dqm-bench-csv-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("knows the ROOT class codes", () => {
    expect(metypeOf("TH1F", 1)).toBe(3);
    expect(metypeOf("TH1D", 1)).toBe(5);
    expect(metypeOf("TH2D", 2)).toBe(8);
    expect(metypeOf(null, 1)).toBe(3);
    expect(metypeOf(null, 2)).toBe(6);
    expect(metypeOf("TProfile", 1)).toBe(3);
  });

  it("writes one line in the legacy column order, quoting a name that needs it", () => {
    const b: Binning = { dim: 1, xmin: 0, xmax: 10, xbins: 4, ymin: 0, ymax: 1, ybins: 1 };
    expect(legacyCsvLine(1, 2, "A/b", 3, [0, 1.5, 2, 0, 0, 1], 4.5, b)).toBe(
      '1,2,A/b,3,"[0,1.5,2,0,0,1]",4.5,10,0,4,1,0,1\n',
    );
    expect(legacyCsvLine(1, 2, 'a,"b"', 3, [0], 4.5, b)).toBe('1,2,"a,""b""",3,"[0]",4.5,10,0,4,1,0,1\n');
  });

  it.each([
    ["1D", BINNING_1D, "TH1D", "Pixel/charge, layer 1 (all)"],
    ["2D", BINNING_2D, "TH2F", "Strip/occupancy"],
  ] as const)(
    "writes %s batches that the legacy CSV reader reads back exactly",
    async (_, binning, kind, name) => {
      const me: CsvMonitorElement = { name, kind, binning };
      const batches = [batch(binning, [100, 100], [1, 2]), batch(binning, [101, 101, 101], [5, 6, 7])];
      const file = path.join(dir, "all.csv");
      const head = path.join(dir, "head.csv");
      const out = await writeLegacyCsvBatches(batches, me, file, { file: head, rows: 3 });
      expect(out.all).toEqual({ file, rows: 5, bytes: fs.statSync(file).size });
      expect(out.head).toEqual({ file: head, rows: 3, bytes: fs.statSync(head).size });

      const back = await readBack(file);
      expect(back.map((r) => [r.run, r.lumisection, r.me, r.kind, r.entries])).toEqual([
        [100, 1, name, kind, 1.5],
        [100, 2, name, kind, 3],
        [101, 5, name, kind, 7.5],
        [101, 6, name, kind, 9],
        [101, 7, name, kind, 10.5],
      ]);
      const width = fullSize(binning);
      const want = batches.flatMap((bt) => {
        const values = bt.getChild("data")!.data[0].children[0].values as Float32Array;
        return Array.from({ length: bt.numRows }, (_, i) =>
          splitFlow(values.subarray(i * width, (i + 1) * width), binning),
        );
      });
      expect(back.map((r) => [Array.from(r.data), Array.from(r.flow ?? [])])).toEqual(
        want.map((w) => [Array.from(w.data), Array.from(w.flow)]),
      );
      for (const r of back) expect(r.binning).toEqual(binning);

      expect((await readBack(head)).map((r) => [r.run, r.lumisection])).toEqual([
        [100, 1],
        [100, 2],
        [101, 5],
      ]);
    },
  );

  it("writes only the header for no rows, and no head file unless asked", async () => {
    const file = path.join(dir, "empty.csv");
    const out = await writeLegacyCsvBatches([], { name: "A/b", kind: null, binning: BINNING_1D }, file);
    expect(out).toEqual({ all: { file, rows: 0, bytes: fs.statSync(file).size }, head: null });
    expect(fs.readFileSync(file, "utf8")).toBe(
      "fromrun,fromlumi,hname,metype,histo,entries,Xmax,Xmin,Xbins,Ymax,Ymin,Ybins\n",
    );
  });

  it("refuses batches whose bins do not include the under/overflow", async () => {
    const interior = batchFromColumns(dataSchema(4), [
      int32Data(Int32Array.of(1)),
      int32Data(Int32Array.of(1)),
      float64Data(Float64Array.of(1)),
      binsData(new Float32Array(4), 4),
    ]);
    await expect(
      writeLegacyCsvBatches(
        [interior],
        { name: "A/b", kind: null, binning: BINNING_1D },
        path.join(dir, "x.csv"),
      ),
    ).rejects.toThrow("batch has 4 bins per row, expected 6 (with under/overflow)");
  });
});

describe("scoring inputs", () => {
  it("are reproducible, about 5 % bad, with the bad ones scored higher", () => {
    const a = scoringInputs(20_000);
    const b = scoringInputs(20_000);
    expect(Buffer.from(a.scores.buffer).equals(Buffer.from(b.scores.buffer))).toBe(true);
    expect(Buffer.from(a.labels).equals(Buffer.from(b.labels))).toBe(true);
    expect(a.bad).toBe(a.labels.reduce((s, l) => s + l, 0));
    expect(a.bad / 20_000).toBeGreaterThan(0.04);
    expect(a.bad / 20_000).toBeLessThan(0.06);
    let badMean = 0;
    let goodMean = 0;
    a.labels.forEach((l, i) =>
      l ? (badMean += a.scores[i] / a.bad) : (goodMean += a.scores[i] / (20_000 - a.bad)),
    );
    expect(badMean - goodMean).toBeCloseTo(0.2, 1);
  });

  it("are written as raw little-endian float64 scores and uint8 labels", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dqm-bench-scores-"));
    try {
      const inputs = scoringInputs(1000);
      const scores = path.join(dir, "s.f64");
      const labels = path.join(dir, "l.u8");
      writeScoringInputs(inputs, scores, labels);
      const s = fs.readFileSync(scores);
      expect(s.length).toBe(8000);
      expect(Array.from({ length: 1000 }, (_, i) => s.readDoubleLE(8 * i))).toEqual(
        Array.from(inputs.scores),
      );
      expect(new Uint8Array(fs.readFileSync(labels))).toEqual(inputs.labels);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
