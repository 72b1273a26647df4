/** How service objects show in a notebook: HTML tables with a plain-text twin. */
import { DisplayableObject } from "../display/show";
import { htmlTable, textTable, escapeHtml, type Cell, type TableData } from "../display/html";
import type { MimeBundle } from "../display/sink";
import type { LeaderboardInfo, ServiceMetrics, SubmissionInfo, TaskInfo } from "./types";

function bundle(t: TableData, htmlBefore = "", htmlAfter = ""): MimeBundle {
  return { "text/html": htmlBefore + htmlTable(t) + htmlAfter, "text/plain": textTable(t) };
}

export function tasksTable(tasks: readonly TaskInfo[]): TableData {
  return {
    caption: `${tasks.length} task${tasks.length === 1 ? "" : "s"}`,
    columns: ["task", "title", "data set", "features", "status", "train", "test", "daily limit"],
    rows: tasks.map((t) => [
      t.name,
      t.title,
      t.dataset,
      t.features.length,
      t.status,
      t.splits.train.size,
      t.splits.test.size,
      t.dailyLimit,
    ]),
  };
}

/** The tasks of a service; shows as a table. */
export class TaskList extends DisplayableObject {
  constructor(readonly items: TaskInfo[]) {
    super();
  }
  get length(): number {
    return this.items.length;
  }
  names(): string[] {
    return this.items.map((t) => t.name);
  }
  [Symbol.iterator](): Iterator<TaskInfo> {
    return this.items[Symbol.iterator]();
  }
  toMimeBundle(): MimeBundle {
    return bundle(tasksTable(this.items));
  }
}

export function taskBundle(t: TaskInfo): MimeBundle {
  const rows: Cell[][] = [
    ["data set", t.dataset],
    ["features", t.features.join(", ")],
    ["labelling", t.labelling],
    ["status", t.status],
    ["train split", `${t.splits.train.size} lumisections`],
    ["test split", `${t.splits.test.size} lumisections (public part ${t.split.public_fraction})`],
    [
      "preprocessing",
      `include_flow ${t.preprocessing.include_flow}, min_entries ${t.preprocessing.min_entries}`,
    ],
    [
      "metrics",
      `ROC AUC (primary), AP, recall at FPR ${t.metrics.fpr_targets.join(", ")}, grey zone alpha ${t.metrics.alpha} beta ${t.metrics.beta}`,
    ],
    ["daily limit", t.dailyLimit],
  ];
  const table: TableData = { columns: ["", ""], rows };
  const head = `<h4>${escapeHtml(t.name)}: ${escapeHtml(t.title)}</h4><p>${escapeHtml(t.description)}</p>`;
  return {
    "text/html": head + htmlTable(table),
    "text/plain": `${t.name}: ${t.title}\n${t.description}\n${textTable(table)}`,
  };
}

export function metricsRows(m: ServiceMetrics | null | undefined): Cell[][] {
  if (!m) return [];
  const rows: Cell[][] = [
    ["ROC AUC", m.rocAuc],
    ["average precision", m.averagePrecision],
  ];
  for (const [k, v] of Object.entries(m.recallAtFpr)) rows.push([`recall at FPR ${k}`, v]);
  rows.push(["grey-zone saved effort", m.greyZone.savedEffort]);
  // Counts come only where the task publishes them (or to admins, or after the task closed).
  if (m.n !== undefined) rows.push(["lumisections (bad)", `${m.n} (${m.nBad ?? "?"})`]);
  return rows;
}

export function leaderboardTable(board: LeaderboardInfo, highlightSubmission?: number): TableData {
  const targets = board.rows[0] ? Object.keys(board.rows[0].recallAtFpr) : [];
  const highlight = new Set<number>();
  board.rows.forEach((r, i) => {
    if (r.submission === highlightSubmission || (highlightSubmission === undefined && r.mine))
      highlight.add(i);
  });
  return {
    caption: `${board.task}: ${board.scores} scores${board.status === "closed" ? " (closed)" : ""}`,
    columns: [
      "rank",
      "user",
      "method",
      "ROC AUC",
      "AP",
      "saved effort",
      ...targets.map((t) => `recall@${t}`),
      "submitted",
    ],
    rows: board.rows.map((r) => [
      r.rank,
      r.baseline ? `${r.user} (baseline)` : r.user,
      r.method,
      r.rocAuc,
      r.averagePrecision,
      r.savedEffort,
      ...targets.map((t) => r.recallAtFpr[t]),
      r.submittedAt.replace("T", " ").slice(0, 16),
    ]),
    highlight,
  };
}

/** A leaderboard; shows as a table with your rows in bold. */
export class Leaderboard extends DisplayableObject {
  constructor(readonly info: LeaderboardInfo) {
    super();
  }
  get rows() {
    return this.info.rows;
  }
  toMimeBundle(): MimeBundle {
    return bundle(leaderboardTable(this.info));
  }
}

/** The outcome of a submission: its metrics and rank. */
export class SubmissionResult extends DisplayableObject {
  constructor(
    readonly submission: SubmissionInfo,
    /** Rank on the leaderboard (public scores while the task is open); null when not ranked. */
    readonly rank: number | null,
    /** Rows on that leaderboard. */
    readonly of: number | null,
    /** The leaderboard's URL (REST; needs the token). */
    readonly leaderboardUrl: string,
    /** The leaderboard right after scoring, when it could be read. */
    readonly leaderboard: LeaderboardInfo | null,
    /** True when the service returned an earlier submission for the same Idempotency-Key. */
    readonly replayed: boolean,
  ) {
    super();
  }

  get id(): number {
    return this.submission.id;
  }

  get metrics(): ServiceMetrics | null {
    return this.submission.publicMetrics;
  }

  toMimeBundle(): MimeBundle {
    const s = this.submission;
    const rank = this.rank === null ? "not ranked" : `rank ${this.rank} of ${this.of}`;
    const title = `Submission ${s.id} to ${s.task}: ${s.method}: ${s.status}${s.status === "scored" ? `, ${rank}` : ""}${this.replayed ? " (earlier submission, same idempotency key)" : ""}`;
    const rows = metricsRows(s.publicMetrics).map((r) => [
      ...r,
      ...(s.privateMetrics ? [metricsRows(s.privateMetrics).find((p) => p[0] === r[0])?.[1] ?? null] : []),
    ]);
    const table: TableData = {
      columns: s.privateMetrics ? ["metric", "public", "private"] : ["metric", "public part"],
      rows,
    };
    const top = this.leaderboard ? { ...this.leaderboard, rows: this.leaderboard.rows.slice(0, 10) } : null;
    const boardTable = top ? leaderboardTable(top, s.id) : null;
    const board = boardTable ? htmlTable(boardTable) : "";
    const failure = s.failure ? `<p style="color:#b00">${escapeHtml(s.failure)}</p>` : "";
    const html =
      `<div><b>${escapeHtml(title)}</b>${failure}` +
      htmlTable(table) +
      board +
      `<p><a href="${escapeHtml(this.leaderboardUrl)}" target="_blank">leaderboard</a></p></div>`;
    const text = [
      title,
      s.failure ?? "",
      textTable(table),
      boardTable ? textTable(boardTable) : "",
      `leaderboard: ${this.leaderboardUrl}`,
    ]
      .filter(Boolean)
      .join("\n");
    return { "text/html": html, "text/plain": text };
  }
}
