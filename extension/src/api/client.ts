/**
 * The playground's REST API as the panels need it: lists are fetched page by page to the end,
 * histograms come as Arrow IPC streams and are read into typed arrays (one row of bins per
 * lumisection) without copying.
 */
import type { ServerConnection } from "@jupyterlab/services";
import { ARROW_STREAM, fetchAllPages } from "@dqm-playground/api-types/wire";
import { PlaygroundError, query, requestJSON, requestService, type ServiceEndpoint } from "../request";
import { histogramSet, type HistogramSet } from "./histogram-table";
import type {
  Dataset,
  Health,
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

let arrowModule: Promise<typeof import("./arrow-ipc")> | undefined;

/** The Arrow reader, loaded with the first histograms (a chunk of its own: most panels never need it). */
function loadArrow(): Promise<typeof import("./arrow-ipc")> {
  arrowModule ??= import("./arrow-ipc");
  return arrowModule;
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
  all<T>(path: string, params: Record<string, string | number | undefined> = {}): Promise<T[]> {
    return fetchAllPages((cursor) =>
      this.get<Page<T>>(path + query({ ...params, limit: PAGE_LIMIT, cursor })),
    );
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

  /** One monitor element's histograms in one run, read from the service's Arrow IPC stream. */
  async histograms(dataset: string, me: MonitorElement, run: number): Promise<HistogramSet> {
    const path = `datasets/${encodeURIComponent(dataset)}/histograms${query({ me: me.name, run })}`;
    const response = await requestService(this.endpoint(), this.serverSettings, path, {
      headers: { Accept: ARROW_STREAM },
    });
    const type = response.headers.get("content-type") ?? "";
    if (!type.includes(ARROW_STREAM))
      throw new PlaygroundError(
        `The service answered ${path} with '${type || "no content type"}' instead of an Arrow stream`,
        "server",
        response.status,
        response.url,
      );
    const [{ tableFromIPC }, bytes] = await Promise.all([loadArrow(), response.arrayBuffer()]);
    const table = tableFromIPC(new Uint8Array(bytes));
    return histogramSet(dataset, me.name, run, me.binning, table);
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
