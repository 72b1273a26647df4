/**
 * State of a run view: one run of a data set, the chosen monitor element's per-lumisection histograms
 * with each lumisection's certification label, the selected lumisection, and the reference run whose
 * mean (good lumisections, each normalised) the selection is compared with: by default the data set's
 * designated reference run for this run (set by an admin), else the best-certified other run.
 */
import { Signal, type ISignal } from "@lumino/signaling";
import type { PlaygroundClient } from "../api/client";
import type { HistogramSet } from "../api/histogram-table";
import type { Lumisection, MonitorElement, RunSummary } from "../api/types";
import { loadCellSource } from "../notebook/cell-template";
import { histogramRow, meanNormalised, normalise, rowIndex } from "./histograms";
import { failed, IDLE, loading, READY, type LoadStatus } from "./status";
import { lumiLabel, type LumiLabel } from "./lumi-label";

export interface RunViewRef {
  dataset: string;
  run: number;
  me?: string | null;
}

export interface LumisectionRow {
  ls: number;
  label: LumiLabel;
  entries: number | null;
  pileup: number | null;
  recordedLumi: number | null;
  flags: string[];
}

export interface Reference {
  run: number;
  mean: Float64Array;
  /** How many lumisections went into the mean. */
  count: number;
  /** Whether only good lumisections went in (false: labels unknown, every lumisection with content). */
  goodOnly: boolean;
}

/**
 * The suggested reference for `run` when the data set has no designated reference runs: the other run
 * with the highest golden fraction, then the most lumisections.
 */
export function defaultReferenceRun(runs: readonly RunSummary[], run: number): number | null {
  let best: RunSummary | null = null;
  for (const r of runs) {
    if (r.run === run || r.labelsWithheld || r.goldenFraction === null || r.golden === 0) continue;
    if (
      !best ||
      r.goldenFraction! > best.goldenFraction! ||
      (r.goldenFraction === best.goldenFraction && r.lumisections > best.lumisections)
    )
      best = r;
  }
  return best?.run ?? null;
}

/** The reference run a run view starts with: the designated one for `run`, else the suggested one. */
export function initialReferenceRun(runs: readonly RunSummary[], run: number): number | null {
  return runs.find((r) => r.run === run)?.referenceRun ?? defaultReferenceRun(runs, run);
}

/** Where the reference run of a view comes from. */
export type ReferenceOrigin = "designated" | "suggested" | "chosen" | "none";

export class RunViewModel {
  constructor(
    readonly client: PlaygroundClient,
    ref: RunViewRef,
  ) {
    this.dataset = ref.dataset;
    this.run = ref.run;
    this.requestedMe = ref.me ?? null;
  }

  readonly dataset: string;
  readonly run: number;

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** What to reopen this view with (layout restoration). */
  get ref(): RunViewRef {
    return { dataset: this.dataset, run: this.run, me: this._me?.name ?? this.requestedMe };
  }

  get status(): LoadStatus {
    return this._status;
  }

  get monitorElements(): readonly MonitorElement[] {
    return this._monitorElements;
  }

  get monitorElement(): MonitorElement | null {
    return this._me;
  }

  get lumisections(): readonly LumisectionRow[] {
    return this._rows;
  }

  get histograms(): HistogramSet | null {
    return this._histograms;
  }

  /** Runs of the data set (the reference choices). */
  get runs(): readonly RunSummary[] {
    return this._runs;
  }

  get referenceRun(): number | null {
    return this._referenceRun;
  }

  /** The data set's designated reference run for this run (nearest before it, else after), or null. */
  get designatedReferenceRun(): number | null {
    return this._runs.find((r) => r.run === this.run)?.referenceRun ?? null;
  }

  /**
   * Where the reference run comes from: the designation (the default), the suggestion when the data set
   * has none designated, or the user's choice of another run.
   */
  get referenceOrigin(): ReferenceOrigin {
    const run = this._referenceRun;
    if (run === null) return "none";
    if (run === this.designatedReferenceRun) return "designated";
    if (this.designatedReferenceRun === null && run === defaultReferenceRun(this._runs, this.run))
      return "suggested";
    return "chosen";
  }

  get reference(): Reference | null {
    return this._reference;
  }

  get selectedLumisection(): number | null {
    return this._selected;
  }

  /** Loads everything the view shows (again, after an error or a refresh). */
  async load(): Promise<void> {
    const generation = ++this.generation;
    this.setStatus(loading(`run ${this.run}`));
    try {
      const [mes, runs, lumisections] = await Promise.all([
        this.client.monitorElements(this.dataset),
        this.client.runs(this.dataset),
        this.client.lumisections(this.dataset, this.run),
      ]);
      if (generation !== this.generation) return;
      if (mes.length === 0) throw new Error(`data set '${this.dataset}' has no monitor elements`);
      this._monitorElements = mes;
      this._runs = runs;
      this.lumiInfo = lumisections;
      const wanted = this._me?.name ?? this.requestedMe;
      this._me = mes.find((m) => m.name === wanted) ?? mes[0];
      if (this._referenceRun === null) this._referenceRun = initialReferenceRun(runs, this.run);
      await this.loadHistograms(generation);
    } catch (err) {
      if (generation === this.generation) this.setStatus(failed(`run ${this.run} of '${this.dataset}'`, err));
    }
  }

  async setMonitorElement(name: string): Promise<void> {
    const me = this._monitorElements.find((m) => m.name === name);
    if (!me) throw new Error(`data set '${this.dataset}' has no monitor element '${name}'`);
    if (me === this._me) return;
    this._me = me;
    const generation = ++this.generation;
    try {
      await this.loadHistograms(generation);
    } catch (err) {
      if (generation === this.generation) this.setStatus(failed(`the histograms of ${name}`, err));
    }
  }

  async setReferenceRun(run: number | null): Promise<void> {
    if (run === this._referenceRun) return;
    this._referenceRun = run;
    const generation = ++this.generation;
    if (run === null) {
      this._reference = null;
      this.setStatus(READY);
      return;
    }
    try {
      this.setStatus(loading(`reference run ${run}`));
      this._reference = await this.loadReference(run);
      if (generation !== this.generation) return;
      this.setStatus(READY);
    } catch (err) {
      if (generation === this.generation) this.setStatus(failed(`reference run ${run}`, err));
    }
  }

  selectLumisection(ls: number | null): void {
    if (ls === this._selected) return;
    if (ls !== null && !this._rows.some((r) => r.ls === ls))
      throw new Error(`run ${this.run} has no lumisection ${ls}`);
    this._selected = ls;
    this._changed.emit();
  }

  /** The selected lumisection's histogram normalised to unit sum, or null (none selected, no data). */
  selectedValues(): Float64Array | null {
    const set = this._histograms;
    if (!set || this._selected === null) return null;
    const i = rowIndex(set, this._selected);
    return i < 0 ? null : normalise(histogramRow(set, i));
  }

  labels(): Array<{ ls: number; label: LumiLabel }> {
    return this._rows.map((r) => ({ ls: r.ls, label: r.label }));
  }

  /** The notebook cell that loads what the view shows. */
  cellSource(): string {
    return loadCellSource({
      dataset: this.dataset,
      monitorElement: this._me?.name ?? this.requestedMe ?? "",
      run: this.run,
      referenceRun: this._referenceRun,
      referenceDesignated: this.referenceOrigin === "designated",
      lumisection: this._selected,
      dim: this._me?.binning.dim ?? 1,
    });
  }

  private async loadHistograms(generation: number): Promise<void> {
    const me = this._me!;
    this.setStatus(loading(`the histograms of ${me.name}`));
    const [set, reference] = await Promise.all([
      this.client.histograms(this.dataset, me, this.run),
      this.loadReference(this._referenceRun),
    ]);
    if (generation !== this.generation) return;
    this._histograms = set;
    this._reference = reference;
    const byLs = new Map<number, number>();
    set.lumisections.forEach((ls, i) => byLs.set(ls, set.entries[i]));
    this._rows = this.lumiInfo.map((l) => ({
      ls: l.lumisection,
      label: lumiLabel(l),
      entries: byLs.get(l.lumisection) ?? null,
      pileup: l.pileup,
      recordedLumi: l.recordedLumi,
      flags: l.flags,
    }));
    if (this._selected === null || !byLs.has(this._selected)) this._selected = set.lumisections[0] ?? null;
    this.setStatus(READY);
  }

  private async loadReference(run: number | null): Promise<Reference | null> {
    const me = this._me;
    if (run === null || !me) return null;
    const [set, lumisections] = await Promise.all([
      this.client.histograms(this.dataset, me, run),
      this.client.lumisections(this.dataset, run),
    ]);
    const good = new Set(lumisections.filter((l) => l.label === "good").map((l) => l.lumisection));
    const goodMean = good.size ? meanNormalised(set, (ls) => good.has(ls)) : null;
    if (goodMean) return { run, ...goodMean, goodOnly: true };
    const anyMean = meanNormalised(set);
    return anyMean ? { run, ...anyMean, goodOnly: false } : null;
  }

  private setStatus(status: LoadStatus): void {
    this._status = status;
    this._changed.emit();
  }

  private readonly requestedMe: string | null;
  private generation = 0;
  private _status: LoadStatus = IDLE;
  private _monitorElements: MonitorElement[] = [];
  private _me: MonitorElement | null = null;
  private _runs: RunSummary[] = [];
  private lumiInfo: Lumisection[] = [];
  private _rows: LumisectionRow[] = [];
  private _histograms: HistogramSet | null = null;
  private _referenceRun: number | null = null;
  private _reference: Reference | null = null;
  private _selected: number | null = null;
  private _changed = new Signal<this, void>(this);
}
