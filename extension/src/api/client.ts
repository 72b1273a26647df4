/**
 * The playground's REST API as the panels need it: lists are fetched page by page to the end,
 * histograms become typed arrays (one row of bins per lumisection).
 */
import type { ServerConnection } from "@jupyterlab/services";
import { query, requestJSON, requestService, type ServiceEndpoint } from "../request";
import type {
  Binning,
  Dataset,
  Health,
  HistogramRow,
  Leaderboard,
  Lumisection,
  MonitorElement,
  Page,
  ReferenceRun,
  RunSummary,
  ScoreSet,
  Submission,
  Task,
} from "./types";

/** Largest page the service gives. */
export const PAGE_LIMIT = 10000;

/** Histograms of one monitor element in one run. */
export interface HistogramSet {
  dataset: string;
  me: string;
  run: number;
  binning: Binning;
  lumisections: Int32Array;
  entries: Float64Array;
  /** Bin contents, `width` values per lumisection; 2D row-major: `values[row * width + y * xbins + x]`. */
  values: Float32Array;
  width: number;
}

/** Converts JSON histogram rows (2D as `data[y][x]`) to a `HistogramSet`. */
export function histogramSet(
  dataset: string,
  me: string,
  run: number,
  fallback: Binning,
  rows: HistogramRow[],
): HistogramSet {
  const first = rows[0];
  const binning: Binning = first
    ? {
        dim: first.y_bin !== undefined ? 2 : 1,
        xmin: first.x_min,
        xmax: first.x_max,
        xbins: first.x_bin,
        ymin: first.y_min ?? 0,
        ymax: first.y_max ?? 1,
        ybins: first.y_bin ?? 1,
      }
    : fallback;
  const width = binning.dim === 2 ? binning.xbins * binning.ybins : binning.xbins;
  const values = new Float32Array(rows.length * width);
  const lumisections = new Int32Array(rows.length);
  const entries = new Float64Array(rows.length);
  rows.forEach((row, i) => {
    lumisections[i] = row.lumisection;
    entries[i] = row.entries;
    const flat = binning.dim === 2 ? (row.data as number[][]).flat() : (row.data as number[]);
    if (flat.length !== width)
      throw new Error(
        `histogram of ${me} run ${run} ls ${row.lumisection} has ${flat.length} bins, expected ${width}`,
      );
    values.set(flat, i * width);
  });
  return { dataset, me, run, binning, lumisections, entries, values, width };
}

export interface LeaderboardQuery {
  /** Default: the service's choice (public while the task is open, private after). */
  scores?: ScoreSet;
  /** Each user's best submission only (baselines stay). */
  bestPerUser?: boolean;
}

function leaderboardQuery(q: LeaderboardQuery, format?: "csv"): string {
  return query({ scores: q.scores, best_per_user: q.bestPerUser ? true : undefined, format });
}

export class PlaygroundClient {
  constructor(
    private readonly endpoint: () => ServiceEndpoint,
    readonly serverSettings: ServerConnection.ISettings,
  ) {}

  /** Where requests go now (settings can change it). */
  get apiUrl(): string {
    return this.endpoint().apiUrl;
  }

  get<T>(path: string): Promise<T> {
    return requestJSON<T>(this.endpoint(), this.serverSettings, path);
  }

  /** Every item of a paged list. */
  async all<T>(path: string, params: Record<string, string | number | undefined> = {}): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await this.get<Page<T>>(path + query({ ...params, limit: PAGE_LIMIT, cursor }));
      items.push(...page.items);
      if (!page.next) return items;
      cursor = page.next;
    }
  }

  health(): Promise<Health> {
    return this.get<Health>("health");
  }

  datasets(): Promise<Dataset[]> {
    return this.all<Dataset>("datasets");
  }

  monitorElements(dataset: string): Promise<MonitorElement[]> {
    return this.all<MonitorElement>(`datasets/${encodeURIComponent(dataset)}/monitor-elements`);
  }

  runs(dataset: string): Promise<RunSummary[]> {
    return this.all<RunSummary>(`datasets/${encodeURIComponent(dataset)}/runs`);
  }

  /** The data set's designated reference runs (set by an admin), ascending. */
  referenceRuns(dataset: string): Promise<ReferenceRun[]> {
    return this.all<ReferenceRun>(`datasets/${encodeURIComponent(dataset)}/reference-runs`);
  }

  lumisections(dataset: string, run: number): Promise<Lumisection[]> {
    return this.all<Lumisection>(`datasets/${encodeURIComponent(dataset)}/runs/${run}/lumisections`);
  }

  async histograms(dataset: string, me: MonitorElement, run: number): Promise<HistogramSet> {
    const rows = await this.all<HistogramRow>(`datasets/${encodeURIComponent(dataset)}/histograms`, {
      me: me.name,
      run,
    });
    return histogramSet(dataset, me.name, run, me.binning, rows);
  }

  tasks(): Promise<Task[]> {
    return this.all<Task>("tasks");
  }

  task(name: string): Promise<Task> {
    return this.get<Task>(`tasks/${encodeURIComponent(name)}`);
  }

  leaderboard(task: string, options: LeaderboardQuery = {}): Promise<Leaderboard> {
    return this.get<Leaderboard>(`tasks/${encodeURIComponent(task)}/leaderboard${leaderboardQuery(options)}`);
  }

  /** The leaderboard as the service's CSV (`?format=csv`). */
  async leaderboardCsv(task: string, options: LeaderboardQuery = {}): Promise<string> {
    const path = `tasks/${encodeURIComponent(task)}/leaderboard${leaderboardQuery(options, "csv")}`;
    const response = await requestService(this.endpoint(), this.serverSettings, path);
    return response.text();
  }

  /** The viewer's own submissions with their status. */
  async submissions(task: string): Promise<Submission[]> {
    return this.all<Submission>(`tasks/${encodeURIComponent(task)}/submissions`);
  }
}
