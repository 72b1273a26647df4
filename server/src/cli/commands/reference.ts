/**
 * `reference list DATASET`, `reference set DATASET RUN...`, `reference clear DATASET`: the designated
 * reference runs of a data set (the runs shifters compare others with), through the REST API like every
 * command the API serves (store-access.ts). Setting needs an admin token: this home's local admin's.
 */
import type { Command } from "commander";
import { action, parseInteger } from "../actions";
import { formatTable, say } from "../format";
import { apiRequest, getJson, withApi } from "../store-access";
import type { ReferenceRun } from "../../store/reference-runs";
import type { Page } from "../../store/paging";

function referencePath(dataset: string): string {
  return `datasets/${encodeURIComponent(dataset)}/reference-runs`;
}

function listReferenceRuns(dataset: string): Promise<ReferenceRun[]> {
  // A data set designates a few runs: one page holds them all.
  return withApi(
    async (api) => (await getJson<Page<ReferenceRun>>(api, `${referencePath(dataset)}?limit=10000`)).items,
  );
}

async function putReferenceRuns(
  dataset: string,
  runs: Array<number | { run: number; note: string }>,
): Promise<ReferenceRun[]> {
  return withApi(
    async (api) =>
      ((await (await apiRequest(api, "PUT", referencePath(dataset), { runs })).json()) as Page<ReferenceRun>)
        .items,
  );
}

function print(dataset: string, runs: ReferenceRun[], json: boolean | undefined): void {
  if (json) return void process.stdout.write(JSON.stringify(runs, null, 2) + "\n");
  if (runs.length === 0) return void say(`data set ${dataset} has no designated reference runs\n`);
  say(
    formatTable(
      ["run", "set by", "set at", "note"],
      runs.map((r) => [r.run, r.setBy, r.setAt.replace("T", " ").slice(0, 16), r.note]),
    ) + "\n",
  );
}

/** Commander's collector of a repeated integer argument. */
function collectRun(value: string, previous: number[] = []): number[] {
  return [...previous, parseInteger(value)];
}

export function registerReference(program: Command): void {
  const reference = program
    .command("reference")
    .description(
      "Designated reference runs of a data set: each run is compared with the nearest designated run before it (see 'reference <command> --help')",
    );

  reference
    .command("list")
    .description("List the designated reference runs of a data set")
    .argument("<dataset>", "data set name")
    .option("--json", "print JSON")
    .action(
      action(async (dataset: string, opts: { json?: boolean }) => {
        print(dataset, await listReferenceRuns(dataset), opts.json);
      }),
    );

  reference
    .command("set")
    .description(
      "Replace the designated reference runs of a data set by RUN... (admin). A run must be in the data set and " +
        "not in the hidden test split of an open task: a reference run's certification is public by designation.",
    )
    .argument("<dataset>", "data set name")
    .argument("<runs...>", "run numbers", collectRun)
    .option("--note <text>", "why these runs (kept with each of them; without it, existing notes stay)")
    .option("--json", "print the new list as JSON")
    .action(
      action(async (dataset: string, runs: number[], opts: { note?: string; json?: boolean }) => {
        const body = opts.note === undefined ? runs : runs.map((run) => ({ run, note: opts.note! }));
        const items = await putReferenceRuns(dataset, body);
        if (opts.json) return print(dataset, items, true);
        say(
          `data set ${dataset} has ${items.length} reference run${items.length === 1 ? "" : "s"}: ${items.map((r) => r.run).join(", ")}\n`,
        );
      }),
    );

  reference
    .command("clear")
    .description("Remove every designated reference run of a data set (admin)")
    .argument("<dataset>", "data set name")
    .action(
      action(async (dataset: string) => {
        await putReferenceRuns(dataset, []);
        say(`data set ${dataset} has no designated reference runs now\n`);
      }),
    );
}
