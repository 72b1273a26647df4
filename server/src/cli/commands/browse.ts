import type { Command } from "commander";
import { action } from "../actions";
import { formatTable, percent, say } from "../format";
import { getAllPages, getJson, withApi } from "../store-access";
import type { DatasetSummary } from "../../store/store";
import type { RunSummary } from "../../store/lumisections";
import type { Page } from "../../store/paging";

function listDatasets(): Promise<DatasetSummary[]> {
  // Data sets are few: one page holds them all.
  return withApi(async (api) => (await getJson<Page<DatasetSummary>>(api, "datasets?limit=10000")).items);
}

function listRuns(dataset: string): Promise<RunSummary[]> {
  return withApi((api) => getAllPages<RunSummary>(api, `datasets/${encodeURIComponent(dataset)}/runs`));
}

export function registerBrowse(program: Command): void {
  program
    .command("datasets")
    .description("List data sets")
    .option("--json", "print JSON")
    .action(
      action(async (opts: { json?: boolean }) => {
        const items = await listDatasets();
        if (opts.json) return void process.stdout.write(JSON.stringify(items, null, 2) + "\n");
        say(
          formatTable(
            ["dataset", "era", "primary dataset", "monitor elements", "runs", "lumisections"],
            items.map((d) => [d.name, d.era, d.primaryDataset, d.monitorElements, d.runs, d.lumisections]),
          ) + "\n",
        );
      }),
    );

  program
    .command("runs")
    .description("List the runs of a data set with lumisection counts and golden fraction")
    .argument("<dataset>", "data set name")
    .option("--json", "print JSON")
    .action(
      action(async (dataset: string, opts: { json?: boolean }) => {
        const runs = await listRuns(dataset);
        if (opts.json) return void process.stdout.write(JSON.stringify(runs, null, 2) + "\n");
        say(
          formatTable(
            ["run", "fill", "lumisections", "golden", "bad", "golden fraction"],
            runs.map((r) => [r.run, r.fill, r.lumisections, r.golden, r.bad, percent(r.goldenFraction)]),
          ) + "\n",
        );
      }),
    );
}
