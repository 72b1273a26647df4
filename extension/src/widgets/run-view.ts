/**
 * The run view (main area): the lumisection-by-bin heatmap of the chosen monitor element with each
 * lumisection's certification label beside it, the list of lumisections (keyboard: arrows select), and
 * the selected lumisection's histogram over the reference run's mean (2D monitor elements: both as 2D
 * heatmaps). The reference is the data set's designated reference run for this run unless the user picks
 * another; the choices mark the designated runs. "Open in notebook" puts the cell that loads these histograms into a notebook.
 */
import { Panel, Widget } from "@lumino/widgets";
import type { Message } from "@lumino/messaging";
import { ChartWidget } from "../charts/chart";
import { heatmap2dSpec, overlaySpec, runHeatmapSpec, SELECTED_PARAM, type Palette } from "../charts/specs";
import { themePalette } from "../charts/theme";
import type { HistogramSet } from "../api/histogram-table";
import type { RunSummary } from "../api/types";
import { RunViewModel, type LumisectionRow, type ReferenceOrigin } from "../models/run-model";
import { formatPercent, sortRows, toggleSort, type SortState } from "../models/table";
import { LUMISECTION_COLUMNS } from "./columns";
import { StatusView } from "./status-view";
import { VirtualTable } from "./virtual-table";
import { button, element, labelledSelect } from "./dom";

/** How the overlay's note says where its reference run comes from. */
const ORIGIN_TEXT: Record<ReferenceOrigin, string> = {
  designated: " (the designated reference run for this run)",
  suggested: " (no designated reference run: the best-certified other run)",
  chosen: "",
  none: "",
};

/** A reference run choice: the run, its certification, and whether it is designated (for this run). */
export function referenceChoiceLabel(r: RunSummary, designatedForRun: number | null): string {
  const certification = r.labelsWithheld ? "labels withheld" : `golden ${formatPercent(r.goldenFraction, 0)}`;
  const designation =
    r.run === designatedForRun
      ? ", designated reference for this run"
      : r.isReference
        ? ", designated reference"
        : "";
  return `${r.run} (${certification}${designation})`;
}

export interface RunViewOptions {
  model: RunViewModel;
  openInNotebook: (source: string) => void;
  /** The chart palette (default: read from the theme's CSS variables). */
  palette?: () => Palette;
}

export class RunView extends Panel {
  constructor(options: RunViewOptions) {
    super();
    this.model = options.model;
    this.palette = options.palette ?? (() => themePalette(this.node));
    this.addClass("dqm-run-view");
    this.node.dataset.testid = "dqm-run-view";
    this.title.label = `Run ${this.model.run}`;
    this.title.caption = `${this.model.dataset}: run ${this.model.run}`;

    this.status = new StatusView(() => void this.model.load());
    this.meSelect = labelledSelect(
      "Monitor element",
      "dqm-run-me-select",
      (name) => void this.model.setMonitorElement(name),
    );
    this.referenceSelect = labelledSelect(
      "Reference run",
      "dqm-reference-select",
      (value) => void this.model.setReferenceRun(value === "" ? null : Number(value)),
    );
    this.summary = element("p", { className: "dqm-run-summary", testId: "dqm-run-summary" });
    const notebookButton = button(
      "Open in notebook",
      "dqm-open-in-notebook",
      () => options.openInNotebook(this.model.cellSource()),
      "Insert the cell that loads these histograms into the active notebook (or a new TypeScript notebook)",
    );
    const controls = new Widget({
      node: element(
        "div",
        { className: "dqm-run-controls" },
        this.meSelect.wrapper,
        this.referenceSelect.wrapper,
        notebookButton,
      ),
    });

    this.table = new VirtualTable<LumisectionRow>({
      columns: LUMISECTION_COLUMNS,
      rowKey: (r) => String(r.ls),
      label: "Lumisections",
      testId: "dqm-lumisection-table",
      rowClass: (r) => `dqm-label-row-${r.label}`,
      emptyText: "No lumisections",
    });
    this.table.addClass("dqm-lumisection-table");
    this.table.sortRequested.connect((_, key) => {
      this.sort = toggleSort(this.sort, key);
      this.sortedFrom = null; // re-sort on the next render
      this.render();
    });
    this.table.selectionChanged.connect((_, keys) => {
      if (keys.length) this.model.selectLumisection(Number(keys[0]));
    });

    this.heatmap = new ChartWidget({
      label: "Lumisection by bin heatmap with certification labels",
      testId: "dqm-heatmap",
    });
    this.heatmap.clicked.connect((_, datum) => {
      if (typeof datum.ls === "number") this.model.selectLumisection(datum.ls);
    });
    this.detail = new ChartWidget({
      label: "Selected lumisection against the reference run",
      testId: "dqm-overlay",
    });
    this.detailNote = element("p", { className: "dqm-hint", testId: "dqm-overlay-note" });

    const charts = new Panel();
    charts.addClass("dqm-run-charts");
    charts.addWidget(this.heatmap);
    charts.addWidget(this.detail);
    charts.addWidget(new Widget({ node: this.detailNote }));
    const body = new Panel();
    body.addClass("dqm-run-body");
    body.addWidget(this.table);
    body.addWidget(charts);

    this.addWidget(this.status);
    this.addWidget(controls);
    this.addWidget(new Widget({ node: this.summary }));
    this.addWidget(body);
    this.model.changed.connect(this.render, this);
    this.render();
  }

  readonly model: RunViewModel;

  /** Draws the charts again (after a theme change). */
  redraw(): void {
    this.drawn = null;
    this.detailKey = "";
    this.render();
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.model.status.state === "idle") void this.model.load();
  }

  protected override onActivateRequest(msg: Message): void {
    super.onActivateRequest(msg);
    this.table.node.focus();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.model.changed.disconnect(this.render, this);
    super.dispose();
  }

  private render(): void {
    const m = this.model;
    this.status.render(m.status);
    this.meSelect.setOptions(
      m.monitorElements.map((me) => [me.name, me.name]),
      m.monitorElement?.name ?? null,
    );
    this.referenceSelect.setOptions(
      [
        ["", "none"],
        ...m.runs
          .filter((r) => r.run !== m.run)
          .map((r): [string, string] => [String(r.run), referenceChoiceLabel(r, m.designatedReferenceRun)]),
      ],
      m.referenceRun === null ? "" : String(m.referenceRun),
    );
    if (this.sortedFrom !== m.lumisections) {
      this.sortedFrom = m.lumisections;
      this.table.setRows(sortRows(m.lumisections, LUMISECTION_COLUMNS, this.sort));
      this.table.sort = this.sort;
    }
    const selected = m.selectedLumisection;
    if (selected !== null && this.table.selectedKeys[0] !== String(selected)) {
      this.table.setSelection([String(selected)]);
      const index = this.table.indexOfKey(String(selected));
      if (index >= 0 && this.table.activeIndex !== index) this.table.setActive(index, { select: false });
    }
    this.summary.textContent = this.describe();
    this.renderCharts();
  }

  private describe(): string {
    const m = this.model;
    const counts = new Map<string, number>();
    for (const r of m.lumisections) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
    const labels = [...counts].map(([label, n]) => `${n} ${label}`).join(", ");
    return `${m.dataset} · run ${m.run} · ${m.lumisections.length} lumisections${labels ? ` (${labels})` : ""}`;
  }

  private renderCharts(): void {
    const m = this.model;
    const set = m.histograms;
    if (!set || m.status.state === "loading") return;
    const palette = this.palette();
    if (this.drawn !== set) {
      this.drawn = set;
      void this.heatmap.render(
        runHeatmapSpec({ set, labels: m.labels(), selected: m.selectedLumisection, palette }),
      );
    } else {
      void this.heatmap.setSignal(SELECTED_PARAM, m.selectedLumisection);
    }
    this.renderDetail(set, palette);
  }

  private renderDetail(set: HistogramSet, palette: Palette): void {
    const m = this.model;
    const ls = m.selectedLumisection;
    const values = m.selectedValues();
    const ref = m.reference;
    const key = `${set.me}|${ls}|${ref?.run ?? ""}|${ref?.count ?? ""}|${palette.text}`;
    if (key === this.detailKey) return;
    this.detailKey = key;
    if (ls === null || !values) {
      void this.detail.render(null);
      this.detailNote.textContent =
        ls === null ? "Select a lumisection." : `Lumisection ${ls} has no histogram.`;
      return;
    }
    const refName = ref ? `run ${ref.run} mean` : "";
    this.detailNote.textContent = ref
      ? `Reference${ORIGIN_TEXT[m.referenceOrigin]}: mean of ${ref.count} ${ref.goodOnly ? "good " : ""}lumisections of run ${ref.run}, each normalised to unit area.`
      : m.referenceRun === null
        ? "No reference run chosen."
        : `Reference run ${m.referenceRun} has no histograms of this monitor element.`;
    const series = [{ name: `LS ${ls}`, values }, ...(ref ? [{ name: refName, values: ref.mean }] : [])];
    const title = `${set.me} · run ${set.run} LS ${ls}`;
    void this.detail.render(
      set.binning.dim === 2
        ? heatmap2dSpec({ binning: set.binning, panels: series, title, palette })
        : overlaySpec({ binning: set.binning, series, title, palette }),
    );
  }

  private readonly palette: () => Palette;
  private readonly status: StatusView;
  private readonly meSelect: ReturnType<typeof labelledSelect>;
  private readonly referenceSelect: ReturnType<typeof labelledSelect>;
  private readonly summary: HTMLElement;
  private readonly table: VirtualTable<LumisectionRow>;
  /** The column order the user asked for (header click), and the rows it was applied to. */
  private sort: SortState | null = null;
  private sortedFrom: readonly LumisectionRow[] | null = null;
  private readonly heatmap: ChartWidget;
  private readonly detail: ChartWidget;
  private readonly detailNote: HTMLElement;
  private drawn: HistogramSet | null = null;
  private detailKey = "";
}
