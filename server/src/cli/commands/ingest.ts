import type { Command } from "commander";
import { INGEST_FORMATS, type IngestFormat } from "../../ingest/types";
import { action } from "../actions";
import { progressBar } from "../progress";
import { withOwnStore } from "../store-access";
import { say } from "../format";

interface IngestOptions {
  dataset: string;
  era?: string;
  primaryDataset?: string;
  name?: string;
  me?: string[];
}

export function registerIngest(program: Command): void {
  program
    .command("ingest")
    .description(
      "Ingest files into a data set (created if missing). Formats: csv and parquet (legacy ML4DQM columns or " +
        "DIALS rows, told by the header), json (DIALS rows), root (nanoDQMIO, or one histogram per key " +
        "run<RUN>_ls<LS>_<ME>), golden and dcs (certification JSON), oms (per-lumisection OMS JSON), " +
        "flags (a subsystem's bad lumisections, 'run ls' per line). Each file is atomic; re-ingesting a file is a no-op.",
    )
    .argument("<format>", `one of ${INGEST_FORMATS.join(", ")}`)
    .argument("<files...>", "files to ingest")
    .requiredOption("-d, --dataset <name>", "data set name")
    .option("--era <era>", "era of a new data set, for example 2018")
    .option("--primary-dataset <name>", "primary dataset of a new data set, for example ZeroBias")
    .option("--name <name>", "for flags: the subsystem group (default: the file name)")
    .option("--me <pattern...>", "for root: monitor elements to keep, by name prefix or glob (default: all)")
    .action(
      action(async (format: string, files: string[], opts: IngestOptions) => {
        if (!(INGEST_FORMATS as readonly string[]).includes(format))
          throw new Error(`unknown format '${format}', expected one of ${INGEST_FORMATS.join(", ")}`);
        const { ingestFile } = await import("../../ingest-service/ingest-file.js");
        await withOwnStore(async (store) => {
          for (const file of files) {
            const bar = progressBar(file, null);
            try {
              const report = await ingestFile(
                store,
                {
                  format: format as IngestFormat,
                  file,
                  dataset: { name: opts.dataset, era: opts.era, primaryDataset: opts.primaryDataset },
                  flagName: opts.name,
                  me: opts.me,
                },
                (n) => bar.update(n),
              );
              bar.stop();
              // A skipped file reports its record count only: nothing was read, so no lumisection counts.
              if (!report.changed)
                say(
                  `already ingested, unchanged: ${file} into ${report.dataset} (${report.records} records)\n`,
                );
              else {
                const mes = report.monitorElements
                  ? `, ${report.monitorElements.length} monitor elements`
                  : "";
                say(
                  `ingested ${file} into ${report.dataset}: ${report.records} records, ${report.lumisections ?? 0} lumisections${mes}${skippedText(report.skipped)}\n`,
                );
              }
            } finally {
              bar.stop();
            }
          }
        }, "before ingesting");
      }),
    );
}

/** `; skipped 6 per-run, 15 scalar` for a ROOT ingest that left entries out. */
function skippedText(skipped: object | undefined): string {
  const names: Record<string, string> = { perRun: "per-run", otherKeys: "other keys" };
  const parts = Object.entries((skipped ?? {}) as Record<string, number>)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${names[k] ?? k}`);
  return parts.length ? `; skipped ${parts.join(", ")}` : "";
}
