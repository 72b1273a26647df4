/**
 * The leaderboard panel (main area): a task's ranked submissions with every metric, method, author,
 * time and baseline marks, the viewer's own rows highlighted; the viewer's submissions with their
 * status (failed ones with the reason); the selected rows' ROC and grey-zone curves overlaid in one
 * chart and their metrics compared in another; CSV export. It refreshes by itself while shown (polling
 * with back-off) and keeps scroll and selection.
 */
import { Panel, Widget } from "@lumino/widgets";
import type { Message } from "@lumino/messaging";
import { ChartWidget } from "../charts/chart";
import { curvesComparisonSpec, metricsComparisonSpec, type Palette } from "../charts/specs";
import { themePalette } from "../charts/theme";
import type { LeaderboardRow, ScoreSet, Submission } from "../api/types";
import { comparedMetrics, LeaderboardModel } from "../models/leaderboard-model";
import { sortRows, toggleSort, type SortState } from "../models/table";
import { leaderboardColumns, SUBMISSION_COLUMNS } from "./columns";
import { StatusView } from "./status-view";
import { VirtualTable } from "./virtual-table";
import { button, downloadText, element, labelledSelect } from "./dom";

/** What the curves are, and why they are coarse. */
export const COARSE_CURVES_NOTE =
  "Curves are coarse: recall at fixed false-positive rates and saved effort at fixed alphas. The service never sends exact curves, since they would reveal the test labels.";

/** The curves note, naming the selected rows that have no curves (scored before the service made them). */
export function curvesNote(rows: readonly LeaderboardRow[]): string {
  const without = rows.filter((r) => !r.curves).map((r) => `#${r.rank} ${r.method}`);
  if (without.length === 0) return COARSE_CURVES_NOTE;
  const which = without.length === 1 ? `${without[0]} has` : `${without.join(", ")} have`;
  return `${COARSE_CURVES_NOTE} ${which} no curves (scored before the service computed them): compared on metrics only.`;
}

/** A selected row's name in the charts' legends. */
function rowName(r: LeaderboardRow): string {
  return `#${r.rank} ${r.method} (${r.user}, ${r.submission})`;
}

export interface LeaderboardPanelOptions {
  model: LeaderboardModel;
  openTask: (task: string) => void;
  palette?: () => Palette;
}

export class LeaderboardPanel extends Panel {
  constructor(options: LeaderboardPanelOptions) {
    super();
    this.model = options.model;
    this.openTask = options.openTask;
    this.palette = options.palette ?? (() => themePalette(this.node));
    this.addClass("dqm-leaderboard");
    this.node.dataset.testid = "dqm-leaderboard";
    this.title.label = "Leaderboard";

    this.status = new StatusView(() => void (this.model.task ? this.model.poke() : this.model.load()));
    this.taskSelect = labelledSelect("Task", "dqm-task-select", (name) => void this.model.selectTask(name));
    this.scoresSelect = labelledSelect(
      "Scores",
      "dqm-scores-select",
      (value) => void this.model.setScores(value === "" ? null : (value as ScoreSet)),
    );
    this.scoresSelect.setOptions(
      [
        ["", "default"],
        ["public", "public"],
        ["private", "private"],
      ],
      "",
    );
    this.bestPerUser = element("input", { testId: "dqm-best-per-user", attrs: { type: "checkbox" } });
    this.bestPerUser.addEventListener(
      "change",
      () => void this.model.setBestPerUser(this.bestPerUser.checked),
    );
    this.updated = element("span", {
      className: "dqm-hint",
      testId: "dqm-last-updated",
      attrs: { "aria-live": "off" },
    });
    const controls = new Widget({
      node: element(
        "div",
        { className: "dqm-leaderboard-controls" },
        this.taskSelect.wrapper,
        this.scoresSelect.wrapper,
        element("label", { className: "dqm-field dqm-checkbox" }, this.bestPerUser, "Best per user"),
        button("Refresh", "dqm-leaderboard-refresh", () => void this.model.poke(), "Refresh now"),
        button(
          "Export CSV",
          "dqm-export-csv",
          () => void this.exportCsv(),
          "Download the leaderboard as CSV",
        ),
        button("Task details", "dqm-open-task", () => this.model.task && this.openTask(this.model.task.name)),
        this.updated,
      ),
    });
    this.heading = element("h2", { className: "dqm-leaderboard-title", testId: "dqm-leaderboard-title" });
    this.scoresNote = element("p", { className: "dqm-hint", testId: "dqm-scores-note" });
    const head = new Widget({
      node: element("div", { className: "dqm-leaderboard-head" }, this.heading, this.scoresNote),
    });

    this.submissionsHeading = element("h3", { text: "Your submissions" });
    this.submissionsTable = new VirtualTable<Submission>({
      columns: SUBMISSION_COLUMNS,
      rowKey: (s) => String(s.id),
      label: "Your submissions",
      testId: "dqm-submissions-table",
      rowClass: (s) => `dqm-submission-row dqm-mod-${s.status}`,
      emptyText: "You have not submitted to this task yet.",
    });
    this.submissionsTable.addClass("dqm-submissions-table");

    this.chart = new ChartWidget({
      label: "Metrics of the selected submissions",
      testId: "dqm-comparison-chart",
    });
    this.curvesChart = new ChartWidget({
      label: "ROC and grey-zone curves of the selected submissions",
      testId: "dqm-curves-chart",
    });
    this.curvesChart.hide();
    this.compareHint = element("p", { className: "dqm-hint", testId: "dqm-compare-hint" });
    this.curvesNote = element("p", { className: "dqm-hint", testId: "dqm-curves-note" });
    this.logX = element("input", { testId: "dqm-curves-logx", attrs: { type: "checkbox" } });
    this.logX.addEventListener("change", () => this.renderComparison());
    const compareHead = new Widget({
      node: element(
        "div",
        { className: "dqm-compare-head" },
        element("h3", { text: "Compare selected submissions" }),
        this.curvesNote,
        element(
          "label",
          { className: "dqm-field dqm-checkbox" },
          this.logX,
          "Log scale for false-positive rate and alpha",
        ),
        this.compareHint,
      ),
    });

    this.boardHost = new Panel();
    this.boardHost.addClass("dqm-board-host");

    this.addWidget(this.status);
    this.addWidget(controls);
    this.addWidget(head);
    this.addWidget(this.boardHost);
    this.addWidget(compareHead);
    this.addWidget(this.curvesChart);
    this.addWidget(this.chart);
    this.addWidget(new Widget({ node: this.submissionsHeading }));
    this.addWidget(this.submissionsTable);
    this.model.changed.connect(this.render, this);
    this.render();
  }

  readonly model: LeaderboardModel;

  /** The ranked-rows table (rebuilt when the task's metric columns change). */
  get board(): VirtualTable<LeaderboardRow> | null {
    return this.boardTable;
  }

  redraw(): void {
    this.chartKey = "";
    this.curvesKey = "";
    this.render();
  }

  async exportCsv(): Promise<void> {
    const task = this.model.task;
    if (!task) return;
    try {
      const csv = await this.model.csv();
      downloadText(`${task.name}-leaderboard.csv`, csv);
    } catch (err) {
      this.status.render({
        state: "error",
        what: "the CSV",
        message: `Could not export the CSV. ${err instanceof Error ? err.message : String(err)}`,
        error: err,
      });
    }
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.model.status.state === "idle") void this.model.load();
    // Attached visible (a new tab) gets no after-show message: start refreshing here too.
    if (this.isVisible) this.model.startPolling();
  }

  protected override onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.model.startPolling();
  }

  protected override onAfterHide(msg: Message): void {
    this.model.stopPolling();
    super.onAfterHide(msg);
  }

  protected override onBeforeDetach(msg: Message): void {
    this.model.stopPolling();
    super.onBeforeDetach(msg);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.model.changed.disconnect(this.render, this);
    this.model.dispose();
    super.dispose();
  }

  private render(): void {
    const m = this.model;
    this.status.render(m.status);
    this.taskSelect.setOptions(
      m.tasks.map((t) => [t.name, `${t.title || t.name} (${t.status})`]),
      m.task?.name ?? null,
    );
    this.bestPerUser.checked = m.bestPerUser;
    this.scoresSelect.select.value = m.scores ?? "";
    const task = m.task;
    this.title.label = task ? `Leaderboard: ${task.name}` : "Leaderboard";
    this.title.caption = task ? `${task.title} (${task.status})` : "DQM Playground leaderboard";
    this.heading.textContent = task
      ? `${task.title || task.name}`
      : m.tasks.length
        ? ""
        : "No tasks published yet";
    this.scoresNote.textContent = m.describeScores();
    this.updated.textContent = m.lastUpdated ? `Updated ${m.lastUpdated.toLocaleTimeString()}` : "";
    this.renderBoard();
    this.submissionsTable.setRows(m.submissions);
    this.submissionsHeading.textContent = `Your submissions (${m.submissions.length})`;
    this.renderComparison();
  }

  private renderBoard(): void {
    const m = this.model;
    const fpr = m.fprKeys;
    const columnsKey = fpr.join(",");
    if (!this.boardTable || columnsKey !== this.columnsKey) {
      this.columnsKey = columnsKey;
      this.columns = leaderboardColumns(fpr);
      this.boardTable?.dispose();
      const table = new VirtualTable<LeaderboardRow>({
        columns: this.columns,
        rowKey: (r) => String(r.submission),
        label: "Leaderboard",
        testId: "dqm-leaderboard-table",
        selection: "multiple",
        rowClass: (r) =>
          [r.mine ? "dqm-mod-mine" : "", r.baseline ? "dqm-mod-baseline" : ""].filter(Boolean).join(" ") ||
          undefined,
        emptyText: "No scored submissions yet.",
      });
      table.addClass("dqm-leaderboard-table");
      table.selectionChanged.connect((_, keys) => m.setSelection(keys.map(Number)));
      table.sortRequested.connect((_, key) => {
        this.sort = toggleSort(this.sort, key);
        this.renderBoard();
      });
      this.boardHost.addWidget(table);
      this.boardTable = table;
    }
    const rows = sortRows(m.board?.rows ?? [], this.columns, this.sort);
    this.boardTable.sort = this.sort;
    this.boardTable.setRows(rows);
    this.boardTable.setSelection([...m.selection].map(String));
  }

  private renderComparison(): void {
    const m = this.model;
    const rows = m.selectedRows;
    const fpr = m.fprKeys;
    this.compareHint.textContent = rows.length
      ? `${rows.length} selected`
      : "Select rows of the leaderboard (click, or Space) to compare them.";
    this.curvesNote.textContent = curvesNote(rows);
    const palette = this.palette();
    this.renderCurves(rows, palette);
    const key = JSON.stringify([
      rows.map((r) => [r.submission, r.rocAuc, r.averagePrecision, r.savedEffort, r.recallAtFpr]),
      palette.text,
    ]);
    if (key === this.chartKey) return;
    this.chartKey = key;
    void this.chart.render(
      rows.length
        ? metricsComparisonSpec({
            submissions: rows.map((r) => ({ name: rowName(r), metrics: comparedMetrics(r, fpr) })),
            palette,
          })
        : null,
    );
  }

  /** The selected rows that have curves, overlaid; the chart is hidden when none has. */
  private renderCurves(rows: readonly LeaderboardRow[], palette: Palette): void {
    const withCurves = rows.flatMap((r) => (r.curves ? [{ name: rowName(r), curves: r.curves }] : []));
    const logX = this.logX.checked;
    const key = JSON.stringify([withCurves, logX, palette.text]);
    if (key === this.curvesKey) return;
    this.curvesKey = key;
    this.curvesChart.setHidden(withCurves.length === 0);
    void this.curvesChart.render(
      withCurves.length ? curvesComparisonSpec({ submissions: withCurves, logX, palette }) : null,
    );
  }

  private readonly openTask: (task: string) => void;
  private readonly palette: () => Palette;
  private readonly status: StatusView;
  private readonly taskSelect: ReturnType<typeof labelledSelect>;
  private readonly scoresSelect: ReturnType<typeof labelledSelect>;
  private readonly bestPerUser: HTMLInputElement;
  private readonly updated: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly scoresNote: HTMLElement;
  private readonly boardHost: Panel;
  private readonly submissionsHeading: HTMLElement;
  private readonly submissionsTable: VirtualTable<Submission>;
  private readonly chart: ChartWidget;
  private readonly curvesChart: ChartWidget;
  private readonly compareHint: HTMLElement;
  private readonly curvesNote: HTMLElement;
  private readonly logX: HTMLInputElement;
  private boardTable: VirtualTable<LeaderboardRow> | null = null;
  private columns: ReturnType<typeof leaderboardColumns> = [];
  private columnsKey = "";
  private sort: SortState | null = null;
  private chartKey = "";
  private curvesKey = "";
}
