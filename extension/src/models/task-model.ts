/**
 * State of a task's page: the task as the service describes it (description, data set and features,
 * labelling, splits with sizes and hashes, metric settings), its facts in words, and whether it loaded.
 */
import { Signal, type ISignal } from "@lumino/signaling";
import type { PlaygroundClient } from "../api/client";
import type { Task } from "../api/types";
import { failed, IDLE, loading, READY, type LoadStatus } from "./status";
import { formatPercent, formatTime } from "./table";

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

export class TaskModel {
  constructor(
    readonly client: PlaygroundClient,
    readonly taskName: string,
  ) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get status(): LoadStatus {
    return this._status;
  }

  get task(): Task | null {
    return this._task;
  }

  /** The loaded task's facts (`taskFacts`); none before it has loaded. */
  get facts(): Array<[string, string]> {
    return this._task ? taskFacts(this._task) : [];
  }

  /** Loads the task (again, after an error); a later load supersedes an earlier one still running. */
  async load(): Promise<void> {
    const generation = ++this.generation;
    this.setStatus(loading(`task '${this.taskName}'`));
    try {
      const task = await this.client.task(this.taskName);
      if (generation !== this.generation) return;
      this._task = task;
      this.setStatus(READY);
    } catch (err) {
      if (generation === this.generation) this.setStatus(failed(`task '${this.taskName}'`, err));
    }
  }

  private setStatus(status: LoadStatus): void {
    this._status = status;
    this._changed.emit();
  }

  private generation = 0;
  private _status: LoadStatus = IDLE;
  private _task: Task | null = null;
  private _changed = new Signal<this, void>(this);
}
