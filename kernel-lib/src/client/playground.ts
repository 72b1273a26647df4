/** A connection to the playground service: data sets, histograms, tasks. */
import { inspect } from "node:util";
import type { Table } from "apache-arrow";
import { connectService, type Connection, type ConnectOptions } from "./connect";
import type { Http } from "./http";
import { Task } from "./task";
import type {
  DatasetInfo,
  Health,
  MonitorElementInfo,
  ReferenceRunInfo,
  RunSummaryInfo,
  TaskInfo,
} from "./types";
import { features } from "../data/features";
import type { Binning } from "../data/binning";
import type { Normalization } from "../data/preprocessing";
import { reference as meanRow } from "../evaluate/worst";
import { TaskList } from "./views";

export interface HistogramQuery {
  /** One run, or a range. */
  run?: number;
  runMin?: number;
  runMax?: number;
  minEntries?: number;
  /** "good" or "bad" lumisections only (where labels are readable). */
  label?: string;
  /** Include the under/overflow bins (when stored). */
  includeFlow?: boolean;
}

export interface ReferenceOptions {
  /** The run to average; default: the data set's designated reference run for the run compared. */
  referenceRun?: number;
  /** Per-histogram normalisation before averaging; default "l1" (each lumisection to unit area). */
  normalize?: Normalization;
  /** Include the under/overflow bins (when stored). */
  includeFlow?: boolean;
}

/** The reference histogram of a monitor element: the mean of a reference run's lumisections. */
export interface ReferenceHistogram {
  /** The reference run averaged. */
  run: number;
  /** Whether it is the designated reference run for the run compared (false: chosen with `referenceRun`). */
  designated: boolean;
  /** The mean histogram (bins as `features` gives them). */
  values: Float32Array;
  binning: Binning;
  /** How many lumisections went into the mean. */
  count: number;
  /** Whether only good lumisections went in (false: labels unknown, every lumisection). */
  goodOnly: boolean;
}

export class Playground {
  constructor(private readonly conn: Connection) {}

  get url(): string {
    return this.conn.url;
  }

  get home(): string {
    return this.conn.home;
  }

  /** How the service was found: option, env, server.json or started. */
  get via(): Connection["via"] {
    return this.conn.via;
  }

  /** The pid of the server `connect` started, else null. */
  get startedPid(): number | null {
    return this.conn.startedPid;
  }

  get http(): Http {
    return this.conn.http;
  }

  health(): Promise<Health> {
    return this.conn.http.get<Health>("health");
  }

  datasets(): Promise<DatasetInfo[]> {
    return this.conn.http.all<DatasetInfo>("datasets");
  }

  monitorElements(dataset: string): Promise<MonitorElementInfo[]> {
    return this.conn.http.all<MonitorElementInfo>(`datasets/${encodeURIComponent(dataset)}/monitor-elements`);
  }

  /**
   * One monitor element's histograms as an Arrow table: run, lumisection, entries, data
   * (FixedSizeList<Float32>), binning in the schema metadata. `features(table)` reads it.
   */
  async histograms(dataset: string, me: string, q: HistogramQuery = {}): Promise<Table> {
    const { table } = await this.conn.http.arrow(`datasets/${encodeURIComponent(dataset)}/histograms`, {
      me,
      run: q.run,
      run_min: q.runMin,
      run_max: q.runMax,
      min_entries: q.minEntries,
      label: q.label,
      include_flow: q.includeFlow,
    });
    return table;
  }

  /** The data set's designated reference runs (set by an admin: `dqm-playground reference set`), ascending. */
  referenceRuns(dataset: string): Promise<ReferenceRunInfo[]> {
    return this.conn.http.all<ReferenceRunInfo>(`datasets/${encodeURIComponent(dataset)}/reference-runs`);
  }

  /**
   * The designated reference run for `run`: the nearest designated run before it, else the nearest after
   * it (never `run` itself); null when the data set has none.
   */
  async referenceRunFor(dataset: string, run: number): Promise<number | null> {
    const page = await this.conn.http.get<{ items: RunSummaryInfo[] }>(
      `datasets/${encodeURIComponent(dataset)}/runs`,
      { run_min: run, run_max: run },
    );
    const summary = page.items.find((r) => r.run === run);
    if (!summary) throw new Error(`data set '${dataset}' has no run ${run}`);
    return summary.referenceRun;
  }

  /**
   * The reference histogram to compare run `run` with: the mean of the good lumisections of the data
   * set's designated reference run for `run` (or of `opts.referenceRun`), each normalised to unit area
   * by default. Every lumisection goes in when the reference run has no good labels to read.
   * `dqm.plot.histogram(row, ref.values, { binning: ref.binning })` draws a lumisection over it.
   */
  async reference(
    dataset: string,
    me: string,
    run: number,
    opts: ReferenceOptions = {},
  ): Promise<ReferenceHistogram> {
    const designated = opts.referenceRun === undefined ? await this.referenceRunFor(dataset, run) : null;
    const refRun = opts.referenceRun ?? designated;
    if (refRun === null || refRun === undefined)
      throw new Error(
        `data set '${dataset}' has no designated reference run for run ${run}: an admin designates them ` +
          `('dqm-playground reference set ${dataset} RUN...'), or pass { referenceRun }`,
      );
    const q = { run: refRun, includeFlow: opts.includeFlow };
    let goodOnly = true;
    let table = await this.histograms(dataset, me, { ...q, label: "good" });
    if (table.numRows === 0) {
      goodOnly = false;
      table = await this.histograms(dataset, me, q);
    }
    if (table.numRows === 0) throw new Error(`reference run ${refRun} has no histograms of '${me}'`);
    const x = features(table, { normalize: opts.normalize ?? "l1" });
    return {
      run: refRun,
      designated: opts.referenceRun === undefined,
      values: meanRow(x),
      binning: x.blocks[0].binning,
      count: x.rows,
      goodOnly,
    };
  }

  /** Every task; shows as a table. */
  async tasks(): Promise<TaskList> {
    return new TaskList(await this.conn.http.all<TaskInfo>("tasks"));
  }

  async task(name: string): Promise<Task> {
    return new Task(this.conn.http, await this.conn.http.get<TaskInfo>(`tasks/${encodeURIComponent(name)}`));
  }

  /** Stops the server `connect` started (no-op otherwise). */
  stopStartedServer(): boolean {
    if (this.conn.startedPid === null) return false;
    try {
      process.kill(this.conn.startedPid, "SIGTERM");
      return true;
    } catch {
      return false;
    }
  }

  toString(): string {
    return `DQM Playground ${this.conn.health.version} at ${this.conn.url} (${this.conn.via}, home ${this.conn.home})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** Connects to the local playground service, starting one when none runs; see ConnectOptions. */
export async function connect(opts: ConnectOptions = {}): Promise<Playground> {
  return new Playground(await connectService(opts));
}
