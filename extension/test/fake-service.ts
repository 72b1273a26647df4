/**
 * A fake playground service behind a fake Jupyter server: a `fetch` that answers the REST routes the
 * panels use from small fixtures, so tests run the real client and request code. Failures can be
 * queued per route; every request is recorded.
 */
import { ServerConnection } from "@jupyterlab/services";
import {
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int32,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableToIPC,
} from "apache-arrow";
import { ARROW_STREAM, encodeHistogramMetadata } from "@dqm-playground/api-types/wire";
import { PlaygroundClient } from "../src/api/client";
import type {
  CoarseCurves,
  Dataset,
  HistogramRow,
  Leaderboard,
  LeaderboardRow,
  Lumisection,
  MonitorElement,
  ReferenceRun,
  RunSummary,
  Submission,
  Task,
} from "../src/api/types";
import { resolveEndpoint } from "../src/request";
import { DEFAULT_SETTINGS } from "../src/tokens";

export const BASE_URL = "http://lab.test/user/x/";
export const API = `${BASE_URL}dqm-playground/api/v1/`;

export const DATASET: Dataset = {
  name: "demo",
  era: "2018",
  primaryDataset: "ZeroBias",
  description: "test data set",
  monitorElements: 2,
  runs: 3,
  lumisections: 12,
};

export const ME_1D: MonitorElement = {
  name: "Pixel/charge",
  kind: "TH1F",
  binning: { dim: 1, xmin: 0, xmax: 4, xbins: 4, ymin: 0, ymax: 1, ybins: 1 },
  hasFlow: false,
};

export const ME_2D: MonitorElement = {
  name: "Pixel/occupancy",
  kind: "TH2F",
  binning: { dim: 2, xmin: 0, xmax: 2, xbins: 2, ymin: 0, ymax: 3, ybins: 3 },
  hasFlow: false,
};

/** No designated reference runs: `designate` gives the runs list of a data set that has some. */
const NO_REFERENCE = { referenceRun: null, isReference: false };

export const RUNS: RunSummary[] = [
  {
    run: 100,
    fill: 10,
    lumisections: 5,
    golden: 4,
    goldenFraction: 0.8,
    bad: 1,
    labelsWithheld: false,
    ...NO_REFERENCE,
  },
  {
    run: 101,
    fill: 10,
    lumisections: 3,
    golden: null,
    goldenFraction: null,
    bad: null,
    labelsWithheld: true,
    ...NO_REFERENCE,
  },
  {
    run: 102,
    fill: 11,
    lumisections: 4,
    golden: 4,
    goldenFraction: 1,
    bad: 0,
    labelsWithheld: false,
    ...NO_REFERENCE,
  },
];

/**
 * `runs` as the service lists them when `designated` are the data set's reference runs: each run's
 * `referenceRun` is the nearest designated run before it, else after it (never itself).
 */
export function designate(runs: readonly RunSummary[], designated: readonly number[]): RunSummary[] {
  const sorted = [...designated].sort((a, b) => a - b);
  return runs.map((r) => {
    const before = sorted.filter((d) => d < r.run).pop();
    const after = sorted.find((d) => d > r.run);
    return { ...r, referenceRun: before ?? after ?? null, isReference: sorted.includes(r.run) };
  });
}

export function referenceRun(run: number, note: string | null = null): ReferenceRun {
  return { run, note, setBy: "admin", setAt: "2026-11-01T09:00:00.000Z" };
}

function lumisection(run: number, ls: number, label: Lumisection["label"], withheld = false): Lumisection {
  return {
    run,
    lumisection: ls,
    fill: 10,
    deliveredLumi: 0.3,
    recordedLumi: 0.29,
    pileup: 50 + ls,
    physicsFlag: true,
    beamsStable: true,
    cmsActive: true,
    golden: withheld ? null : label === "good",
    dcs: withheld ? null : true,
    flags: label === "bad" ? ["pixel"] : [],
    label: withheld ? null : label,
    labelsWithheld: withheld,
  };
}

export const LUMISECTIONS: Record<number, Lumisection[]> = {
  100: [1, 2, 3, 4, 5].map((ls) => lumisection(100, ls, ls === 3 ? "bad" : "good")),
  101: [1, 2, 3].map((ls) => lumisection(101, ls, null, true)),
  102: [1, 2, 3, 4].map((ls) => lumisection(102, ls, "good")),
};

/** 1D contents: run 100 LS n has [n, 1, 0, 1]; 2D: six bins counting up from the LS number. */
export function histogramRows(me: MonitorElement, run: number): HistogramRow[] {
  return LUMISECTIONS[run].map((l) => {
    const n = l.lumisection;
    const base = {
      run,
      lumisection: n,
      me: me.name,
      x_min: me.binning.xmin,
      x_max: me.binning.xmax,
      x_bin: me.binning.xbins,
    };
    if (me.binning.dim === 1) {
      const data = run === 102 ? [1, 1, 1, 1] : [n, 1, 0, 1];
      return { ...base, entries: data.reduce((a, b) => a + b, 0), data };
    }
    const data = [
      [n, n + 1],
      [n + 2, n + 3],
      [n + 4, n + 5],
    ];
    return {
      ...base,
      y_min: me.binning.ymin,
      y_max: me.binning.ymax,
      y_bin: me.binning.ybins,
      entries: data.flat().reduce((a, b) => a + b, 0),
      data,
    };
  });
}

/** The schema metadata the service gives a histogram response: the monitor element and its binning. */
export function histogramMetadata(me: MonitorElement): Map<string, string> {
  return encodeHistogramMetadata({
    dataset: DATASET.name,
    me: me.name,
    kind: me.kind,
    binning: me.binning,
    includeFlow: false,
  });
}

/**
 * Histogram rows as the service's Arrow IPC stream: columns run, lumisection, entries and data
 * (FixedSizeList<Float32> of `width` bins, 2D flattened row-major), in record batches of at most
 * `batchRows` rows.
 */
export function histogramStream(
  rows: readonly HistogramRow[],
  width: number,
  metadata: Map<string, string> = new Map(),
  batchRows = Infinity,
): Uint8Array {
  const bins = new FixedSizeList(width, new Field("bin", new Float32(), false));
  const fields = [
    new Field("run", new Int32(), false),
    new Field("lumisection", new Int32(), false),
    new Field("entries", new Float64(), false),
    new Field("data", bins, false),
  ];
  const schema = new Schema(fields, metadata);
  const batches: RecordBatch[] = [];
  for (let at = 0; at < rows.length; at += batchRows) {
    const part = rows.slice(at, at + batchRows);
    const n = part.length;
    const values = Float32Array.from(part.flatMap((r) => r.data.flat()));
    const children = [
      makeData({ type: new Int32(), length: n, data: Int32Array.from(part, (r) => r.run) }),
      makeData({ type: new Int32(), length: n, data: Int32Array.from(part, (r) => r.lumisection) }),
      makeData({ type: new Float64(), length: n, data: Float64Array.from(part, (r) => r.entries) }),
      makeData({
        type: bins,
        length: n,
        child: makeData({ type: new Float32(), length: values.length, data: values }),
      }),
    ];
    batches.push(new RecordBatch(schema, makeData({ type: new Struct(fields), length: n, children })));
  }
  return tableToIPC(new Table(schema, batches), "stream");
}

export const TASK: Task = {
  name: "pixel-task",
  title: "Pixel charge task",
  description: "Flag bad lumisections.",
  dataset: "demo",
  features: [ME_1D.name],
  status: "open",
  labelling: "golden-among-dcs",
  preprocessing: { include_flow: false, min_entries: 0 },
  metrics: { alpha: 0.01, beta: 0.01, fpr_targets: [0.01, 0.001], precision: 3, publish_counts: false },
  split: { strategy: "random", test_fraction: 0.5, public_fraction: 0.5, seed: 7, public_seed: 8 },
  dailyLimit: 5,
  splits: { train: { size: 8, sha256: "a".repeat(64) }, test: { size: 4, sha256: "b".repeat(64) } },
  createdAt: "2026-11-01T10:00:00.000Z",
  closedAt: null,
};

/** Coarse curves as the service sends them (a short grid; null where a value is undefined). */
export function curves(shift = 0): CoarseCurves {
  return {
    roc: { fpr: [0, 0.01, 0.1, 1], tpr: [0.1 + shift, 0.3 + shift, 0.6 + shift, 1] },
    greyZone: { beta: 0.01, alpha: [0, 0.01, 1], savedEffort: [0.2 + shift, null, 1] },
  };
}

export function boardRow(id: number, rank: number, extra: Partial<LeaderboardRow> = {}): LeaderboardRow {
  return {
    rank,
    submission: id,
    user: "alice",
    method: `method ${id}`,
    description: "",
    link: null,
    baseline: false,
    mine: false,
    submittedAt: `2026-11-0${id}T10:00:00.000Z`,
    rocAuc: 0.9 - rank / 100,
    averagePrecision: 0.5,
    savedEffort: 0.1,
    recallAtFpr: { "0.01": 0.2, "0.001": null },
    curves: null,
    ...extra,
  };
}

export function submission(id: number, extra: Partial<Submission> = {}): Submission {
  return {
    id,
    task: TASK.name,
    user: "admin",
    method: `my method ${id}`,
    description: "",
    link: null,
    clientVersion: null,
    splitSha256: TASK.splits.test.sha256,
    status: "scored",
    failure: null,
    baseline: false,
    createdAt: "2026-11-02T10:00:00.000Z",
    scoredAt: "2026-11-02T10:00:01.000Z",
    publicMetrics: null,
    privateMetrics: null,
    ...extra,
  };
}

interface Failure {
  status: number;
  body: string;
}

export class FakeService {
  datasets: Dataset[] = [DATASET];
  monitorElements: MonitorElement[] = [ME_1D, ME_2D];
  runs: RunSummary[] = RUNS;
  referenceRuns: ReferenceRun[] = [];
  tasks: Task[] = [TASK];
  board: Leaderboard = {
    task: TASK.name,
    status: "open",
    scores: "public",
    bestPerUser: false,
    precision: null,
    rows: [
      boardRow(1, 1, { user: "baseline", baseline: true, method: "Chi-square (baseline)", curves: curves() }),
      boardRow(2, 2, { user: "admin", mine: true, curves: curves(0.1) }),
      // Scored before the service computed curves.
      boardRow(3, 3, { curves: null }),
    ],
  };
  submissions: Submission[] = [
    submission(2),
    submission(4, { status: "failed", failure: "scoring failed: NaN score", scoredAt: null }),
  ];
  /** Page size of lists (small, to exercise paging). */
  pageSize = 2;
  /** Rows per record batch of the Arrow histogram responses (small, to exercise several batches). */
  batchRows = Infinity;
  /** Whether histograms come as Arrow when asked for (false: JSON pages, as from a proxy that drops Accept). */
  arrowHistograms = true;
  /** Paths (relative to the API root, without query) that fail once, in order. */
  failures = new Map<string, Failure[]>();
  /** Every request: path relative to the API root, with its query, and the request's headers. */
  requests: Array<{ path: string; headers: Headers }> = [];

  failNext(path: string, status: number, body: unknown): void {
    const list = this.failures.get(path) ?? [];
    list.push({ status, body: typeof body === "string" ? body : JSON.stringify(body) });
    this.failures.set(path, list);
  }

  /** A `fetch` for `ServerConnection` settings. */
  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(request.url);
    // ServerConnection adds a cache buster (`&<timestamp>`) to no-store requests: not part of the route.
    for (const key of [...url.searchParams.keys()]) if (/^\d+$/.test(key)) url.searchParams.delete(key);
    const apiPath = url.pathname.replace(/^.*?\/api\/v1\//, "");
    this.requests.push({ path: apiPath + url.search, headers: request.headers });
    const failure = this.failures.get(apiPath)?.shift();
    if (failure) return new Response(failure.body, { status: failure.status });
    const body = this.route(apiPath, url.searchParams, request.headers);
    if (body instanceof Uint8Array)
      return new Response(body as unknown as BodyInit, {
        status: 200,
        headers: { "content-type": ARROW_STREAM },
      });
    if (body === undefined)
      return json({ statusCode: 404, error: "Not Found", message: `no route GET /api/v1/${apiPath}` }, 404);
    if (typeof body === "string")
      return new Response(body, { status: 200, headers: { "content-type": "text/csv" } });
    return json(body, 200);
  };

  /** Server settings whose requests reach this service. */
  serverSettings(): ServerConnection.ISettings {
    return ServerConnection.makeSettings({ baseUrl: BASE_URL, fetch: this.fetch, token: "jupyter-token" });
  }

  /** A client of this service through the Jupyter server proxy. */
  client(): PlaygroundClient {
    const server = this.serverSettings();
    return new PlaygroundClient(() => resolveEndpoint(DEFAULT_SETTINGS, server), server);
  }

  private page<T>(items: T[], params: URLSearchParams): { items: T[]; total: number; next: string | null } {
    const start = Number(params.get("cursor") ?? 0);
    const size = this.pageSize;
    const end = start + size;
    return {
      items: items.slice(start, end),
      total: items.length,
      next: end < items.length ? String(end) : null,
    };
  }

  private route(path: string, params: URLSearchParams, headers: Headers): unknown {
    let m: RegExpExecArray | null;
    if (path === "health") return { service: "dqm-playground", version: "0.1.0", engine: "pglite", pid: 1 };
    if (path === "datasets") return this.page(this.datasets, params);
    if ((m = /^datasets\/([^/]+)\/monitor-elements$/.exec(path)))
      return this.page(this.monitorElements, params);
    if ((m = /^datasets\/([^/]+)\/runs$/.exec(path))) return this.page(this.runs, params);
    if ((m = /^datasets\/([^/]+)\/reference-runs$/.exec(path))) return this.page(this.referenceRuns, params);
    if ((m = /^datasets\/([^/]+)\/runs\/(\d+)\/lumisections$/.exec(path))) {
      const list = LUMISECTIONS[Number(m[2])];
      return list ? this.page(list, params) : undefined;
    }
    if ((m = /^datasets\/([^/]+)\/histograms$/.exec(path))) {
      const me = this.monitorElements.find((x) => x.name === params.get("me"));
      const run = Number(params.get("run"));
      if (!me || !LUMISECTIONS[run]) return undefined;
      const b = me.binning;
      const wantsArrow =
        (headers.get("accept") ?? "").includes(ARROW_STREAM) || params.get("format") === "arrow";
      if (wantsArrow && this.arrowHistograms)
        return histogramStream(
          histogramRows(me, run),
          b.dim === 2 ? b.xbins * b.ybins : b.xbins,
          histogramMetadata(me),
          this.batchRows,
        );
      return this.page(histogramRows(me, run), params);
    }
    if (path === "tasks") return this.page(this.tasks, params);
    if ((m = /^tasks\/([^/]+)$/.exec(path)))
      return this.tasks.find((t) => t.name === decodeURIComponent(m![1]));
    if ((m = /^tasks\/([^/]+)\/leaderboard$/.exec(path))) {
      if (params.get("format") === "csv") return "rank,submission\n1,1\n";
      return JSON.parse(JSON.stringify(this.board)) as Leaderboard;
    }
    if ((m = /^tasks\/([^/]+)\/submissions$/.exec(path)))
      return { items: this.submissions, total: this.submissions.length, next: null };
    return undefined;
  }
}

function json(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** Resolves when `condition()` holds (checked after each turn of the event loop), or fails after `ms`. */
export async function until(condition: () => boolean, ms = 2000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 1));
  }
}
