/**
 * State of the dataset browser: the data sets, the chosen one's monitor elements and runs, and how the
 * user searches and sorts them. The sidebar shows it; this holds no DOM.
 */
import { Signal, type ISignal } from "@lumino/signaling";
import type { PlaygroundClient } from "../api/client";
import type { Dataset, MonitorElement, RunSummary, Task } from "../api/types";
import { failed, IDLE, loading, READY, type LoadStatus } from "./status";
import { filterRows, formatNumber, sortRows, toggleSort, type SortKey, type SortState } from "./table";

/** A run of the chosen data set, with the data set's era. */
export interface RunRow extends RunSummary {
  era: string | null;
}

/** What each column of the run list sorts by. */
export const RUN_SORT_KEYS: SortKey<RunRow>[] = [
  { key: "run", value: (r) => r.run },
  { key: "lumisections", value: (r) => r.lumisections },
  { key: "goldenFraction", value: (r) => r.goldenFraction },
  { key: "era", value: (r) => r.era },
  { key: "bad", value: (r) => r.bad },
  { key: "fill", value: (r) => r.fill },
];

/** What each column of the monitor element list sorts by (bins: their number). */
export const ME_SORT_KEYS: SortKey<MonitorElement>[] = [
  { key: "name", value: (m) => m.name },
  { key: "kind", value: (m) => m.kind },
  { key: "bins", value: (m) => m.binning.xbins * (m.binning.dim === 2 ? m.binning.ybins : 1) },
];

export class DatasetBrowserModel {
  constructor(readonly client: PlaygroundClient) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get status(): LoadStatus {
    return this._status;
  }

  get datasets(): readonly Dataset[] {
    return this._datasets;
  }

  get dataset(): Dataset | null {
    return this._dataset;
  }

  get monitorElements(): readonly MonitorElement[] {
    return this._monitorElements;
  }

  get runs(): readonly RunRow[] {
    return this._runs;
  }

  get tasks(): readonly Task[] {
    return this._tasks;
  }

  /** The chosen monitor element (the run view opens on it). */
  get monitorElement(): string | null {
    return this._me;
  }

  get runQuery(): string {
    return this._runQuery;
  }

  get runSort(): SortState {
    return this._runSort;
  }

  get meQuery(): string {
    return this._meQuery;
  }

  get meSort(): SortState | null {
    return this._meSort;
  }

  /** The runs matching the search, in the chosen order (computed once per change). */
  get visibleRuns(): readonly RunRow[] {
    this._visibleRuns ??= sortRows(
      filterRows(
        this._runs,
        this._runQuery,
        (r) => `${r.run} ${r.fill ?? ""} ${r.era ?? ""} ${r.labelsWithheld ? "withheld" : ""}`,
        (r) => [r.run, r.fill ?? -1],
      ),
      RUN_SORT_KEYS,
      this._runSort,
    );
    return this._visibleRuns;
  }

  get visibleMonitorElements(): readonly MonitorElement[] {
    this._visibleMes ??= sortRows(
      filterRows(this._monitorElements, this._meQuery, (m) => `${m.name} ${m.kind ?? ""}`),
      ME_SORT_KEYS,
      this._meSort,
    );
    return this._visibleMes;
  }

  /** Loads the data sets and the chosen one's contents (the first data set when none is chosen yet). */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    this.setStatus(loading("data sets"));
    try {
      const [datasets, tasks] = await Promise.all([this.client.datasets(), this.client.tasks()]);
      if (generation !== this.generation) return;
      this._datasets = datasets;
      this._tasks = tasks;
      const keep = this._dataset && datasets.find((d) => d.name === this._dataset!.name);
      await this.load(keep ?? datasets[0] ?? null, generation);
    } catch (err) {
      if (generation === this.generation) this.setStatus(failed("the data sets", err));
    }
  }

  async selectDataset(name: string): Promise<void> {
    const dataset = this._datasets.find((d) => d.name === name);
    if (!dataset) throw new Error(`no data set named '${name}'`);
    const generation = ++this.generation;
    try {
      await this.load(dataset, generation);
    } catch (err) {
      if (generation === this.generation) this.setStatus(failed(`data set '${name}'`, err));
    }
  }

  selectMonitorElement(name: string | null): void {
    if (name === this._me) return;
    this._me = name;
    this._changed.emit();
  }

  setRunQuery(text: string): void {
    if (text === this._runQuery) return;
    this._runQuery = text;
    this._visibleRuns = null;
    this._changed.emit();
  }

  /** Sorts by `key`; the same key again flips the direction. */
  sortRunsBy(key: string): void {
    this._runSort = toggleSort(this._runSort, key);
    this._visibleRuns = null;
    this._changed.emit();
  }

  setMeQuery(text: string): void {
    if (text === this._meQuery) return;
    this._meQuery = text;
    this._visibleMes = null;
    this._changed.emit();
  }

  sortMonitorElementsBy(key: string): void {
    this._meSort = toggleSort(this._meSort, key);
    this._visibleMes = null;
    this._changed.emit();
  }

  /** A one-line summary of the chosen data set. */
  describeDataset(): string {
    const d = this._dataset;
    if (!d)
      return this._datasets.length || this._status.state !== "ready"
        ? ""
        : "No data sets in the service yet.";
    const parts = [
      d.era ? `era ${d.era}` : null,
      d.primaryDataset,
      `${d.monitorElements} monitor elements`,
      `${d.runs} runs`,
      `${formatNumber(d.lumisections)} lumisections`,
    ];
    return parts.filter(Boolean).join(" · ");
  }

  private async load(dataset: Dataset | null, generation: number): Promise<void> {
    this._dataset = dataset;
    if (!dataset) {
      this._monitorElements = [];
      this._runs = [];
      this.invalidate();
      this.setStatus(READY);
      return;
    }
    this.setStatus(loading(`data set '${dataset.name}'`));
    const [mes, runs] = await Promise.all([
      this.client.monitorElements(dataset.name),
      this.client.runs(dataset.name),
    ]);
    if (generation !== this.generation) return;
    this._monitorElements = mes;
    this._runs = runs.map((r) => ({ ...r, era: dataset.era }));
    if (!this._me || !mes.some((m) => m.name === this._me)) this._me = mes[0]?.name ?? null;
    this.invalidate();
    this.setStatus(READY);
  }

  private invalidate(): void {
    this._visibleRuns = null;
    this._visibleMes = null;
  }

  private setStatus(status: LoadStatus): void {
    this._status = status;
    this._changed.emit();
  }

  private generation = 0;
  private _status: LoadStatus = IDLE;
  private _datasets: Dataset[] = [];
  private _tasks: Task[] = [];
  private _dataset: Dataset | null = null;
  private _monitorElements: MonitorElement[] = [];
  private _runs: RunRow[] = [];
  private _me: string | null = null;
  private _runQuery = "";
  private _runSort: SortState = { key: "run", direction: "ascending" };
  private _meQuery = "";
  private _meSort: SortState | null = null;
  private _visibleRuns: RunRow[] | null = null;
  private _visibleMes: MonitorElement[] | null = null;
  private _changed = new Signal<this, void>(this);
}
