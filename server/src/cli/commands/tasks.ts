/** `task create|show|close` and `tasks`: publishing and inspecting tasks through the REST API. */
import fs from "node:fs";
import type { Command } from "commander";
import { action } from "../actions";
import { formatTable, say } from "../format";
import { apiRequest, withApi } from "../store-access";
import type { TaskSpec } from "../../tasks/task-spec";
import type { TaskView } from "../../tasks/task-view";
import type { ExcludedRun } from "../../tasks/split-runs";
import type { Page } from "../../store/paging";
import { InputError } from "../../errors";

function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

/** Reads and checks a task file here, so its mistakes are reported with the file and line. */
export async function readTaskSpec(file: string): Promise<TaskSpec> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "not a regular file" : String(err),
      { file },
    );
  }
  const { parseTaskSpec } = await import("../../tasks/task-spec.js");
  return parseTaskSpec(text, file);
}

function splitLine(view: TaskView): string {
  return `train ${view.splits.train.size} lumisections, test ${view.splits.test.size} lumisections`;
}

/** "left out N run(s) because of other tasks:" and one "  run R: why" line each; "" when none. */
export function formatExcludedRuns(excluded: ExcludedRun[]): string {
  if (excluded.length === 0) return "";
  return [
    `left out ${excluded.length} run(s) because of other tasks of the data set:`,
    ...excluded.map((e) => `  run ${e.run}: ${e.reason}`),
  ]
    .map((line) => line + "\n")
    .join("");
}

/** A task as aligned "field  value" lines. */
export function formatTask(view: TaskView): string {
  const fields: Array<[string, string]> = [
    ["task", view.name],
    ["title", view.title],
    ["status", view.closedAt ? `${view.status} (closed ${view.closedAt})` : view.status],
    ["dataset", view.dataset],
    ["features", view.features.join(", ")],
    ["labelling", view.labelling],
    [
      "split",
      `${view.split.strategy}, test fraction ${view.split.test_fraction}, public fraction ${view.split.public_fraction}, ` +
        (view.split.seed === null
          ? "seeds hidden until the task closes"
          : `seed ${view.split.seed}, public/private seed ${view.split.public_seed ?? "-"}`),
    ],
    [
      "preprocessing",
      `include flow ${view.preprocessing.include_flow}, min entries ${view.preprocessing.min_entries}`,
    ],
    [
      "metrics",
      `alpha ${view.metrics.alpha}, beta ${view.metrics.beta}, recall at FPR ${view.metrics.fpr_targets.join(", ")}, ` +
        `${view.metrics.precision} decimals${view.metrics.publish_counts ? ", counts published" : ""}`,
    ],
    ["daily limit", `${view.dailyLimit} submissions per user`],
    ["train split", `${view.splits.train.size} lumisections, sha256 ${view.splits.train.sha256}`],
    ["test split", `${view.splits.test.size} lumisections, sha256 ${view.splits.test.sha256}`],
    ["created", view.createdAt],
  ];
  const width = Math.max(...fields.map(([k]) => k.length));
  const lines = fields.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  if (view.description) lines.push("", view.description);
  return lines.join("\n");
}

export function registerTasks(program: Command): void {
  program
    .command("tasks")
    .description("List the published tasks")
    .option("--json", "print JSON")
    .action(
      action(async (opts: { json?: boolean }) => {
        const page = await withApi(
          async (api) => (await (await apiRequest(api, "GET", "tasks")).json()) as Page<TaskView>,
        );
        if (opts.json) return printJson(page.items);
        say(
          formatTable(
            ["task", "status", "dataset", "features", "train", "test", "daily limit", "title"],
            page.items.map((t) => [
              t.name,
              t.status,
              t.dataset,
              t.features.length,
              t.splits.train.size,
              t.splits.test.size,
              t.dailyLimit,
              t.title,
            ]),
          ) + "\n",
        );
      }),
    );

  const task = program
    .command("task")
    .description("Publish, show or close a task (see 'task <command> --help')");

  task
    .command("create")
    .description(
      "Publish a task from a JSON or YAML specification (name, dataset, features, optional title, description, " +
        "labelling, runs, split, preprocessing, metrics, daily_limit). Published tasks never change. Needs an admin token.",
    )
    .argument("<file>", "task specification, JSON or YAML")
    .option("--json", "print the published task as JSON")
    .action(
      action(async (file: string, opts: { json?: boolean }) => {
        const spec = await readTaskSpec(file);
        const view = await withApi(
          async (api) =>
            (await (await apiRequest(api, "POST", "tasks", spec)).json()) as TaskView & {
              excludedRuns?: ExcludedRun[];
            },
        );
        if (opts.json) return printJson(view);
        say(
          `created task ${view.name} on ${view.dataset}: ${splitLine(view)}; test split sha256 ${view.splits.test.sha256}\n` +
            formatExcludedRuns(view.excludedRuns ?? []),
        );
      }),
    );

  task
    .command("show")
    .description("Show a task: data set, features, splits with their hashes, metric settings")
    .argument("<task>", "task name")
    .option("--json", "print JSON")
    .action(
      action(async (name: string, opts: { json?: boolean }) => {
        const view = await withApi(
          async (api) =>
            (await (await apiRequest(api, "GET", `tasks/${encodeURIComponent(name)}`)).json()) as TaskView,
        );
        if (opts.json) return printJson(view);
        say(formatTask(view) + "\n");
      }),
    );

  task
    .command("close")
    .description(
      "Close a task: it takes no more submissions and its leaderboard switches to the private scores. Needs an admin token.",
    )
    .argument("<task>", "task name")
    .option("--json", "print the closed task as JSON")
    .action(
      action(async (name: string, opts: { json?: boolean }) => {
        const view = await withApi(
          async (api) =>
            (await (
              await apiRequest(api, "POST", `tasks/${encodeURIComponent(name)}/close`)
            ).json()) as TaskView,
        );
        if (opts.json) return printJson(view);
        say(
          `closed task ${view.name} at ${view.closedAt}: it takes no more submissions; the leaderboard now ranks by private scores\n`,
        );
      }),
    );
}
