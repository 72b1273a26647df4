/**
 * State of a leaderboard panel: the tasks, the chosen task's ranked rows and the viewer's own
 * submissions (with their status), the rows selected for comparison, and the refresh that keeps them
 * current (polling with back-off; see poller.ts). A refresh replaces data, never the selection.
 */
import { Signal, type ISignal } from "@lumino/signaling";
import type { IDisposable } from "@lumino/disposable";
import type { PlaygroundClient } from "../api/client";
import type { Leaderboard, LeaderboardRow, ScoreSet, Submission, Task } from "../api/types";
import { BackoffPoller, type BackoffOptions, type RefreshOutcome } from "./poller";
import { failed, IDLE, loading, READY, type LoadStatus } from "./status";

export interface LeaderboardModelOptions {
  task?: string | null;
  refresh: BackoffOptions;
}

/** The recall-at-FPR targets of a task, as the service keys them ("0.01"). */
export function fprKeys(task: Task | null, rows: readonly LeaderboardRow[]): string[] {
  const keys = new Set<string>((task?.metrics.fpr_targets ?? []).map((t) => String(t)));
  for (const r of rows) for (const k of Object.keys(r.recallAtFpr)) keys.add(k);
  return [...keys].sort((a, b) => Number(b) - Number(a));
}

/** Metrics compared for the selected rows (all in [0, 1]). */
export function comparedMetrics(
  row: LeaderboardRow,
  fpr: readonly string[],
): Array<{ metric: string; value: number | null }> {
  return [
    { metric: "ROC AUC", value: row.rocAuc },
    { metric: "AP", value: row.averagePrecision },
    { metric: "saved effort", value: row.savedEffort },
    ...fpr.map((k) => ({ metric: `recall@${k}`, value: row.recallAtFpr[k] ?? null })),
  ];
}

/** What a refresh compares to tell whether anything changed. */
function signature(board: Leaderboard | null, submissions: readonly Submission[], task: Task | null): string {
  return JSON.stringify([
    task?.status,
    board?.scores,
    board?.rows.map((r) => [
      r.submission,
      r.rank,
      r.rocAuc,
      r.averagePrecision,
      r.savedEffort,
      r.recallAtFpr,
    ]),
    submissions.map((s) => [s.id, s.status, s.failure, s.publicMetrics?.rocAuc]),
  ]);
}

export class LeaderboardModel implements IDisposable {
  constructor(
    readonly client: PlaygroundClient,
    options: LeaderboardModelOptions,
  ) {
    this.requestedTask = options.task ?? null;
    this.poller = new BackoffPoller(() => this.refresh(), options.refresh);
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  get status(): LoadStatus {
    return this._status;
  }

  get tasks(): readonly Task[] {
    return this._tasks;
  }

  get task(): Task | null {
    return this._task;
  }

  /** The open task's name, or the requested one before the tasks have loaded (layout restoration). */
  get taskName(): string | null {
    return this._task?.name ?? this.requestedTask;
  }

  get board(): Leaderboard | null {
    return this._board;
  }

  get submissions(): readonly Submission[] {
    return this._submissions;
  }

  /** The score set asked for; null: the service's choice (public while open, private after close). */
  get scores(): ScoreSet | null {
    return this._scores;
  }

  get bestPerUser(): boolean {
    return this._bestPerUser;
  }

  get lastUpdated(): Date | null {
    return this._lastUpdated;
  }

  get selection(): ReadonlySet<number> {
    return this._selection;
  }

  get fprKeys(): string[] {
    return fprKeys(this._task, this._board?.rows ?? []);
  }

  /** The rows selected for comparison, in leaderboard order. */
  get selectedRows(): LeaderboardRow[] {
    return (this._board?.rows ?? []).filter((r) => this._selection.has(r.submission));
  }

  /** A line saying which scores are shown and why (and how far they are rounded). */
  describeScores(): string {
    const board = this._board;
    if (!board) return "";
    const what =
      board.scores === "public"
        ? board.status === "open"
          ? "Public scores: the public part of the test split, while the task is open."
          : "Public scores of a closed task."
        : board.status === "closed"
          ? "Private scores: the task is closed."
          : "Private scores (admin view: the task is still open).";
    // Older services send no precision (undefined): their values are exact.
    return board.precision == null ? what : `${what} Rounded to ${board.precision} decimals.`;
  }

  /** Loads the tasks and opens the requested one (else the first). */
  async load(): Promise<void> {
    const generation = ++this.generation;
    this.setStatus(loading("the tasks"));
    try {
      const tasks = await this.client.tasks();
      if (generation !== this.generation) return;
      this._tasks = tasks;
      const wanted = this._task?.name ?? this.requestedTask;
      const task = tasks.find((t) => t.name === wanted) ?? tasks[0] ?? null;
      this._task = task;
      if (!task) {
        this.setStatus(READY);
        return;
      }
      await this.fetch(generation, true);
    } catch (err) {
      if (generation === this.generation) this.setStatus(failed("the tasks", err));
    }
  }

  async selectTask(name: string): Promise<void> {
    const task = this._tasks.find((t) => t.name === name);
    if (!task) throw new Error(`no task named '${name}'`);
    if (task === this._task) return;
    this._task = task;
    this._board = null;
    this._submissions = [];
    this._selection = new Set();
    this.lastSignature = "";
    const generation = ++this.generation;
    try {
      await this.fetch(generation, true);
    } catch (err) {
      if (generation === this.generation) this.setStatus(failed(`the leaderboard of '${name}'`, err));
    }
  }

  async setScores(scores: ScoreSet | null): Promise<void> {
    if (scores === this._scores) return;
    this._scores = scores;
    await this.poke();
  }

  async setBestPerUser(value: boolean): Promise<void> {
    if (value === this._bestPerUser) return;
    this._bestPerUser = value;
    await this.poke();
  }

  /**
   * Fetches the leaderboard and the viewer's submissions; emits `changed` only when something differs.
   * A failure keeps the data shown and reports the error.
   */
  async refresh(): Promise<RefreshOutcome> {
    if (!this._task) return "unchanged";
    const generation = this.generation;
    try {
      return await this.fetch(generation, false);
    } catch (err) {
      if (generation === this.generation)
        this.setStatus(failed(`the leaderboard of '${this._task.name}'`, err));
      return "failed";
    }
  }

  /** Refreshes now and restarts the back-off from the base interval. */
  poke(): Promise<RefreshOutcome> {
    return this.poller.poke();
  }

  setSelection(ids: Iterable<number>): void {
    this._selection = new Set(ids);
    this._changed.emit();
  }

  toggleSelection(id: number): void {
    const next = new Set(this._selection);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this.setSelection(next);
  }

  /** The leaderboard as the service's CSV. */
  csv(): Promise<string> {
    if (!this._task) return Promise.reject(new Error("no task is open"));
    return this.client.leaderboardCsv(this._task.name, {
      scores: this._board?.scores ?? this._scores ?? undefined,
      bestPerUser: this._bestPerUser,
    });
  }

  startPolling(): void {
    this.poller.start();
  }

  stopPolling(): void {
    this.poller.stop();
  }

  setRefreshOptions(options: BackoffOptions): void {
    this.poller.setOptions(options);
  }

  get currentRefreshDelay(): number {
    return this.poller.currentDelay;
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    this.poller.dispose();
    Signal.clearData(this);
  }

  private async fetch(generation: number, announce: boolean): Promise<RefreshOutcome> {
    const task = this._task!;
    if (announce) this.setStatus(loading(`the leaderboard of '${task.name}'`));
    const [taskNow, board, submissions] = await Promise.all([
      this.client.task(task.name),
      this.client.leaderboard(task.name, {
        scores: this._scores ?? undefined,
        bestPerUser: this._bestPerUser,
      }),
      this.client.submissions(task.name),
    ]);
    if (generation !== this.generation || this._task?.name !== task.name) return "unchanged";
    const sig = signature(board, submissions, taskNow);
    const changed = sig !== this.lastSignature;
    this.lastSignature = sig;
    this._lastUpdated = new Date();
    const recovered = this._status.state !== "ready";
    if (changed) {
      this._task = taskNow;
      this._tasks = this._tasks.map((t) => (t.name === taskNow.name ? taskNow : t));
      this._board = board;
      this._submissions = submissions;
      const present = new Set(board.rows.map((r) => r.submission));
      const kept = [...this._selection].filter((id) => present.has(id));
      if (kept.length !== this._selection.size) this._selection = new Set(kept);
    }
    if (changed || recovered) this.setStatus(READY);
    return changed ? "changed" : "unchanged";
  }

  private setStatus(status: LoadStatus): void {
    this._status = status;
    this._changed.emit();
  }

  private readonly requestedTask: string | null;
  private readonly poller: BackoffPoller;
  private generation = 0;
  private lastSignature = "";
  private _disposed = false;
  private _status: LoadStatus = IDLE;
  private _tasks: Task[] = [];
  private _task: Task | null = null;
  private _board: Leaderboard | null = null;
  private _submissions: Submission[] = [];
  private _scores: ScoreSet | null = null;
  private _bestPerUser = false;
  private _lastUpdated: Date | null = null;
  private _selection = new Set<number>();
  private _changed = new Signal<this, void>(this);
}
