/** `leaderboard TASK`: the ranked submissions of a task, as a table, JSON or CSV. */
import type { Command } from "commander";
import { action } from "../actions";
import { formatTable, say } from "../format";
import { apiRequest, withApi } from "../store-access";
import type { Leaderboard } from "../../tasks/leaderboard";

interface LeaderboardOptions {
  json?: boolean;
  csv?: boolean;
  private?: boolean;
  bestPerUser?: boolean;
}

/** A metric with 4 decimals; NaN (undefined for the labels) as "-". */
export function metric(x: number | null | undefined): string | null {
  return x === null || x === undefined || Number.isNaN(x) ? null : x.toFixed(4);
}

export function formatLeaderboard(board: Leaderboard): string {
  const targets = [...new Set(board.rows.flatMap((r) => Object.keys(r.recallAtFpr)))];
  const title = `${board.task} (${board.status}): ${board.scores} scores${board.bestPerUser ? ", best per user" : ""}`;
  if (board.rows.length === 0) return `${title}\nno scored submissions yet`;
  const table = formatTable(
    [
      "rank",
      "user",
      "method",
      "ROC AUC",
      "avg precision",
      "saved effort",
      ...targets.map((t) => `recall@FPR ${t}`),
      "submission",
      "submitted",
    ],
    board.rows.map((r) => [
      r.rank,
      r.baseline ? `${r.user} (baseline)` : r.mine ? `${r.user} (you)` : r.user,
      r.method,
      metric(r.rocAuc),
      metric(r.averagePrecision),
      metric(r.savedEffort),
      ...targets.map((t) => metric(r.recallAtFpr[t])),
      r.submission,
      r.submittedAt.replace(/\.\d+Z$/, "Z"),
    ]),
  );
  return `${title}\n${table}`;
}

export function registerLeaderboard(program: Command): void {
  program
    .command("leaderboard")
    .description(
      "Show the leaderboard of a task: scored submissions ranked by ROC AUC, then average precision, then " +
        "grey-zone saved effort, then the earlier submission. Public-part scores while the task is open, private after.",
    )
    .argument("<task>", "task name")
    .option("--json", "print JSON")
    .option("--csv", "print CSV (as the server exports it)")
    .option("--private", "rank by the private-part scores (admins, or anyone once the task is closed)")
    .option("--best-per-user", "only each user's best submission")
    .action(
      action(async (task: string, opts: LeaderboardOptions) => {
        if (opts.json && opts.csv) throw new Error("choose one of --json and --csv");
        const query = new URLSearchParams();
        if (opts.private) query.set("scores", "private");
        if (opts.bestPerUser) query.set("best_per_user", "true");
        if (opts.csv) query.set("format", "csv");
        const path = `tasks/${encodeURIComponent(task)}/leaderboard${query.size ? `?${query}` : ""}`;
        const text = await withApi(async (api) => (await apiRequest(api, "GET", path)).text());
        if (opts.csv) return void process.stdout.write(text);
        const board = JSON.parse(text) as Leaderboard;
        if (opts.json) return void process.stdout.write(JSON.stringify(board, null, 2) + "\n");
        say(formatLeaderboard(board) + "\n");
      }),
    );
}
