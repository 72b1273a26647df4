/** A connection to the playground service: data sets, histograms, tasks. */
import { inspect } from "node:util";
import type { Table } from "apache-arrow";
import { connectService, type Connection, type ConnectOptions } from "./connect";
import type { Http } from "./http";
import { Task } from "./task";
import type { DatasetInfo, Health, MonitorElementInfo, TaskInfo } from "./types";
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
