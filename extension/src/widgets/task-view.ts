/** A task's page: description, data set and features, labelling, splits with sizes and hashes, metric settings. */
import { Panel, Widget } from "@lumino/widgets";
import type { Message } from "@lumino/messaging";
import type { PlaygroundClient } from "../api/client";
import type { Task } from "../api/types";
import { failed, IDLE, loading, READY, type LoadStatus } from "../models/status";
import { formatPercent, formatTime } from "../models/table";
import { StatusView } from "./status-view";
import { button, element } from "./dom";

/** The facts of a task as label-value pairs, in the order the page shows them. */
export function taskFacts(task: Task): Array<[string, string]> {
  const m = task.metrics;
  return [
    ["Name", task.name],
    ["Status", task.closedAt ? `${task.status} (closed ${formatTime(task.closedAt)})` : task.status],
    ["Data set", task.dataset],
    ["Features", task.features.join(", ")],
    ["Labelling", task.labelling],
    [
      "Preprocessing",
      `${task.preprocessing.include_flow ? "with" : "without"} under/overflow bins, at least ${task.preprocessing.min_entries} entries`,
    ],
    [
      "Split",
      `${task.split.strategy === "chronological" ? "chronological: test on the latest runs, " : ""}test ${formatPercent(task.split.test_fraction, 0)} of the lumisections (whole runs), public part ${formatPercent(task.split.public_fraction, 0)} of the test runs, ${task.split.seed === null ? "seeds hidden until the task closes" : `seed ${task.split.seed}, public/private seed ${task.split.public_seed ?? "–"}`}`,
    ],
    ["Train split", `${task.splits.train.size} lumisections`],
    ["Train sha256", task.splits.train.sha256],
    ["Test split", `${task.splits.test.size} lumisections`],
    ["Test sha256", task.splits.test.sha256],
    [
      "Grey zone",
      `alpha ${m.alpha} (largest bad fraction auto-certified good), beta ${m.beta} (largest good fraction auto-flagged bad)`,
    ],
    ["Recall at FPR", m.fpr_targets.join(", ")],
    [
      "Metrics shown",
      `rounded to ${m.precision} decimals while open${m.publish_counts ? ", with lumisection counts" : ""}`,
    ],
    ["Daily limit", `${task.dailyLimit} submissions per user and UTC day`],
    ["Published", formatTime(task.createdAt)],
  ];
}

export class TaskView extends Panel {
  constructor(
    private readonly client: PlaygroundClient,
    readonly taskName: string,
    private readonly openLeaderboard: (task: string) => void,
  ) {
    super();
    this.addClass("dqm-task-view");
    this.node.dataset.testid = "dqm-task-view";
    this.title.label = `Task: ${taskName}`;
    this.status = new StatusView(() => void this.load());
    this.content = element("article", { className: "dqm-task-content" });
    this.addWidget(this.status);
    this.addWidget(new Widget({ node: this.content }));
  }

  get task(): Task | null {
    return this._task;
  }

  get loadStatus(): LoadStatus {
    return this.status.status;
  }

  async load(): Promise<void> {
    this.setStatus(loading(`task '${this.taskName}'`));
    try {
      this._task = await this.client.task(this.taskName);
      this.renderTask(this._task);
      this.setStatus(READY);
    } catch (err) {
      this.setStatus(failed(`task '${this.taskName}'`, err));
    }
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.status.status === IDLE || this.status.status.state === "idle") void this.load();
  }

  private setStatus(status: LoadStatus): void {
    this.status.render(status);
  }

  private renderTask(task: Task): void {
    this.title.caption = task.title;
    const facts = element("dl", { className: "dqm-task-facts", testId: "dqm-task-facts" });
    for (const [label, value] of taskFacts(task)) {
      facts.append(
        element("dt", { text: label }),
        element("dd", { text: value, className: label.endsWith("sha256") ? "dqm-hash" : "" }),
      );
    }
    this.content.replaceChildren(
      element("h2", { text: task.title || task.name }),
      element("p", {
        className: "dqm-task-description",
        text: task.description,
        testId: "dqm-task-description",
      }),
      button("Open leaderboard", "dqm-task-open-leaderboard", () => this.openLeaderboard(task.name)),
      facts,
    );
  }

  private readonly status: StatusView;
  private readonly content: HTMLElement;
  private _task: Task | null = null;
}
