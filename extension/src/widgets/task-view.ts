/**
 * A task's page (main area): title, description, "Open leaderboard" and the task's facts (data set and
 * features, labelling, splits with sizes and sha256, metric settings) from its model.
 */
import { Panel, Widget } from "@lumino/widgets";
import type { Message } from "@lumino/messaging";
import type { Task } from "../api/types";
import type { LoadStatus } from "../models/status";
import type { TaskModel } from "../models/task-model";
import { StatusView } from "./status-view";
import { button, element } from "./dom";

export class TaskView extends Panel {
  constructor(
    readonly model: TaskModel,
    private readonly openLeaderboard: (task: string) => void,
  ) {
    super();
    this.addClass("dqm-task-view");
    this.node.dataset.testid = "dqm-task-view";
    this.title.label = `Task: ${model.taskName}`;
    this.status = new StatusView(() => void this.model.load());
    this.content = element("article", { className: "dqm-task-content" });
    this.addWidget(this.status);
    this.addWidget(new Widget({ node: this.content }));
    this.model.changed.connect(this.render, this);
    this.render();
  }

  get taskName(): string {
    return this.model.taskName;
  }

  get task(): Task | null {
    return this.model.task;
  }

  get loadStatus(): LoadStatus {
    return this.model.status;
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.model.status.state === "idle") void this.model.load();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.model.changed.disconnect(this.render, this);
    super.dispose();
  }

  private render(): void {
    this.status.render(this.model.status);
    const task = this.model.task;
    if (task === this.drawn) return;
    this.drawn = task;
    if (!task) {
      this.content.replaceChildren();
      return;
    }
    this.title.caption = task.title;
    const facts = element("dl", { className: "dqm-task-facts", testId: "dqm-task-facts" });
    for (const [label, value] of this.model.facts) {
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
  private drawn: Task | null = null;
}
