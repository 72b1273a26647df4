/**
 * The leaderboard of a task: scored submissions ranked by ROC AUC, ties broken by average precision,
 * then grey-zone saved effort, then the earlier submission. Public-part metrics while the task is open
 * (rounded for participants: metrics-view.ts); private-part metrics after it closes (admins may see them
 * any time). Each row carries the coarse ROC
 * and grey-zone curves of the same score set (scoring/src/coarse-curves.ts), so they follow the same rules.
 */
import type { Store } from "../store/store";
import type { User } from "../store/users";
import { InputError } from "../errors";
import { metricsView, parseMetrics, viewerPolicy } from "./metrics-view";
import type * as api from "@dqm-playground/api-types";

export type ScoreSet = api.ScoreSet;

/** A leaderboard row (the wire type, with NaN where a metric is undefined). */
export type LeaderboardRow = api.LeaderboardRowOf<number>;

export type Leaderboard = api.LeaderboardOf<number>;

/** The documented order: higher AUC, higher AP, higher saved effort, earlier, lower id. */
export function compareRows(a: LeaderboardRow, b: LeaderboardRow): number {
  return (
    b.rocAuc - a.rocAuc ||
    b.averagePrecision - a.averagePrecision ||
    b.savedEffort - a.savedEffort ||
    a.submittedAt.localeCompare(b.submittedAt) ||
    a.submission - b.submission
  );
}

export async function leaderboard(
  store: Store,
  taskName: string,
  viewer: User,
  opts: { scores?: ScoreSet; bestPerUser?: boolean },
): Promise<Leaderboard> {
  const task = await store.tasks.get(taskName);
  const scores: ScoreSet = opts.scores ?? (task.status === "closed" ? "private" : "public");
  if (scores === "private" && task.status !== "closed" && viewer.role !== "admin")
    throw new InputError(`private scores of '${task.name}' are hidden until the task is closed`, {}, 403);
  const subs = await store.submissions.scored(task.id);
  // Rows hold what the viewer may see, and are ranked on it: an order decided by digits that are
  // not shown would give them away.
  const policy = viewerPolicy(task, viewer);
  let rows: LeaderboardRow[] = [];
  for (const s of subs) {
    const json = scores === "public" ? s.public_metrics : s.private_metrics;
    const m = metricsView(parseMetrics(json), policy);
    if (!m) continue;
    rows.push({
      rank: 0,
      submission: s.id,
      user: s.user,
      method: s.method,
      description: s.description,
      link: s.link,
      baseline: s.baseline,
      mine: s.user_id === viewer.id,
      submittedAt: new Date(s.created_at).toISOString(),
      rocAuc: m.rocAuc,
      averagePrecision: m.averagePrecision,
      savedEffort: m.greyZone.savedEffort,
      recallAtFpr: m.recallAtFpr,
      curves: m.curves,
    });
  }
  rows.sort(compareRows);
  if (opts.bestPerUser) {
    const seen = new Set<string>();
    // Baselines stay as separate rows: each is a reference method, not a participant's attempt.
    rows = rows.filter((r) => r.baseline || (!seen.has(r.user) && seen.add(r.user) !== undefined));
  }
  rows.forEach((r, i) => (r.rank = i + 1));
  return {
    task: task.name,
    status: task.status,
    scores,
    bestPerUser: opts.bestPerUser ?? false,
    precision: policy?.precision ?? null,
    rows,
  };
}

/**
 * One CSV field. Text a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a
 * carriage return: a user's method name or link) gets a leading apostrophe, as OWASP recommends for CSV
 * exports; numbers are written as they are.
 */
function csvField(v: string | number | boolean | null): string {
  let s = v === null ? "" : String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function leaderboardCsv(board: Leaderboard): string {
  const targets = [...new Set(board.rows.flatMap((r) => Object.keys(r.recallAtFpr)))];
  const header = [
    "rank",
    "submission",
    "user",
    "method",
    "baseline",
    "roc_auc",
    "average_precision",
    "saved_effort",
    ...targets.map((t) => `recall_at_fpr_${t}`),
    "submitted_at",
    "link",
  ];
  const lines = board.rows.map((r) =>
    [
      r.rank,
      r.submission,
      r.user,
      r.method,
      r.baseline,
      r.rocAuc,
      r.averagePrecision,
      r.savedEffort,
      ...targets.map((t) => r.recallAtFpr[t] ?? null),
      r.submittedAt,
      r.link,
    ]
      .map(csvField)
      .join(","),
  );
  return [header.join(","), ...lines].join("\n") + "\n";
}
