/**
 * The "DQM Playground" sidebar: choose a data set, then a monitor element and a run (both searchable
 * and sortable, virtualised lists); Enter or a double click on a run opens its run view. The tasks
 * are listed below, each opening its leaderboard.
 */
import { Panel, Widget } from "@lumino/widgets";
import type { Message } from "@lumino/messaging";
import type { MonitorElement, Task } from "../api/types";
import type { DatasetBrowserModel, RunRow } from "../models/browser-model";
import type { RunViewRef } from "../models/run-model";
import { ME_COLUMNS, RUN_COLUMNS } from "./columns";
import { StatusView } from "./status-view";
import { VirtualTable } from "./virtual-table";
import { button, element, labelledSelect, searchInput } from "./dom";

export interface BrowserPanelOptions {
  model: DatasetBrowserModel;
  openRun: (ref: RunViewRef) => void;
  openTask: (task: string) => void;
}

export class DatasetBrowserPanel extends Panel {
  constructor(options: BrowserPanelOptions) {
    super();
    this.model = options.model;
    this.openRun = options.openRun;
    this.openTask = options.openTask;
    this.id = "dqm-playground-browser";
    this.addClass("dqm-browser");
    this.node.dataset.testid = "dqm-browser";
    this.title.caption = "DQM Playground: data sets, runs and tasks";

    const header = new Widget({
      node: element(
        "div",
        { className: "dqm-browser-header" },
        element("h2", { className: "dqm-browser-title", text: "DQM Playground" }),
        button("↻", "dqm-browser-refresh", () => void this.model.refresh(), "Reload the data sets"),
      ),
    });
    header.node.querySelector("button")!.setAttribute("aria-label", "Reload the data sets");
    this.status = new StatusView(() => void this.model.refresh());

    this.datasetSelect = labelledSelect(
      "Data set",
      "dqm-dataset-select",
      (name) => void this.model.selectDataset(name),
    );
    this.datasetInfo = element("p", { className: "dqm-dataset-info", testId: "dqm-dataset-info" });
    const datasetSection = new Widget({
      node: element(
        "section",
        { className: "dqm-section dqm-datasets" },
        this.datasetSelect.wrapper,
        this.datasetInfo,
      ),
    });

    this.meSearch = searchInput("Search monitor elements", "Search monitor elements", "dqm-me-search", (t) =>
      this.model.setMeQuery(t),
    );
    const meHeader = new Widget({
      node: element(
        "div",
        { className: "dqm-section-header" },
        element("h3", { text: "Monitor elements" }),
        this.meSearch,
      ),
    });
    this.meTable = new VirtualTable<MonitorElement>({
      columns: ME_COLUMNS,
      rowKey: (m) => m.name,
      label: "Monitor elements",
      testId: "dqm-me-table",
      emptyText: "No monitor elements",
    });
    this.meTable.addClass("dqm-me-table");
    this.meTable.selectionChanged.connect((_, keys) => this.model.selectMonitorElement(keys[0] ?? null));
    this.meTable.activated.connect((_, me) => this.model.selectMonitorElement(me.name));
    this.meTable.sortRequested.connect((_, key) => this.model.sortMonitorElementsBy(key));

    this.runSearch = searchInput(
      "Search runs",
      "Search runs: 315000-316000, fill, era",
      "dqm-run-search",
      (t) => this.model.setRunQuery(t),
    );
    this.runCount = element("span", { className: "dqm-count", testId: "dqm-run-count" });
    const runHeader = new Widget({
      node: element(
        "div",
        { className: "dqm-section-header" },
        element("h3", { text: "Runs " }, this.runCount),
        this.runSearch,
        element(
          "div",
          { className: "dqm-row" },
          button("Open run view", "dqm-open-run", () => this.openSelected(), "Open the selected run"),
          element("span", { className: "dqm-hint", text: "or Enter, double click" }),
        ),
      ),
    });
    this.runTable = new VirtualTable<RunRow>({
      columns: RUN_COLUMNS,
      rowKey: (r) => String(r.run),
      label: "Runs",
      testId: "dqm-run-table",
      emptyText: "No runs match",
    });
    this.runTable.addClass("dqm-run-table");
    this.runTable.activated.connect((_, r) => this.open(r.run));
    this.runTable.sortRequested.connect((_, key) => this.model.sortRunsBy(key));

    this.taskList = element("ul", { className: "dqm-task-list", testId: "dqm-task-list" });
    const tasks = new Widget({
      node: element(
        "section",
        { className: "dqm-section dqm-tasks" },
        element("h3", { text: "Tasks" }),
        this.taskList,
      ),
    });

    for (const w of [
      header,
      this.status,
      datasetSection,
      meHeader,
      this.meTable,
      runHeader,
      this.runTable,
      tasks,
    ])
      this.addWidget(w);
    this.model.changed.connect(this.render, this);
    this.render();
  }

  readonly model: DatasetBrowserModel;

  /** Opens the run view of `run` on the chosen monitor element. */
  open(run: number): void {
    const dataset = this.model.dataset;
    if (dataset) this.openRun({ dataset: dataset.name, run, me: this.model.monitorElement });
  }

  /** Opens the run selected in the run list, if any. */
  openSelected(): void {
    const key = this.runTable.selectedKeys[0];
    if (key !== undefined) this.open(Number(key));
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.model.status.state === "idle") void this.model.refresh();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.model.changed.disconnect(this.render, this);
    super.dispose();
  }

  private render(): void {
    const m = this.model;
    this.status.render(m.status);
    this.datasetSelect.setOptions(
      m.datasets.map((d) => [d.name, d.era ? `${d.name} (${d.era})` : d.name]),
      m.dataset?.name ?? null,
    );
    this.datasetInfo.textContent = m.describeDataset();
    this.datasetInfo.title = m.dataset?.description ?? "";

    if (this.meTable.rows !== m.visibleMonitorElements) this.meTable.setRows(m.visibleMonitorElements);
    this.meTable.sort = m.meSort;
    if (m.monitorElement && this.meTable.selectedKeys[0] !== m.monitorElement)
      this.meTable.setSelection([m.monitorElement]);

    if (this.runTable.rows !== m.visibleRuns) this.runTable.setRows(m.visibleRuns);
    this.runTable.sort = m.runSort;
    this.runCount.textContent =
      m.visibleRuns.length === m.runs.length
        ? `(${m.runs.length})`
        : `(${m.visibleRuns.length} of ${m.runs.length})`;

    this.renderTasks(m.tasks);
  }

  private renderTasks(tasks: readonly Task[]): void {
    const signature = tasks.map((t) => `${t.name}:${t.status}`).join(",");
    if (signature === this.taskSignature) return;
    this.taskSignature = signature;
    this.taskList.replaceChildren(
      ...tasks.map((t) => {
        const open = button(
          t.title || t.name,
          `dqm-task-${t.name}`,
          () => this.openTask(t.name),
          `Open the leaderboard of ${t.name}`,
        );
        open.classList.add("dqm-task-link");
        return element(
          "li",
          {},
          open,
          element("span", { className: `dqm-task-status dqm-mod-${t.status}`, text: t.status }),
        );
      }),
    );
    if (tasks.length === 0)
      this.taskList.append(element("li", { className: "dqm-hint", text: "No tasks published" }));
  }

  private readonly openRun: (ref: RunViewRef) => void;
  private readonly openTask: (task: string) => void;
  private readonly status: StatusView;
  private readonly datasetSelect: ReturnType<typeof labelledSelect>;
  private readonly datasetInfo: HTMLElement;
  private readonly meSearch: HTMLInputElement;
  private readonly meTable: VirtualTable<MonitorElement>;
  private readonly runSearch: HTMLInputElement;
  private readonly runCount: HTMLElement;
  private readonly runTable: VirtualTable<RunRow>;
  private readonly taskList: HTMLElement;
  private taskSignature = "";
}
