/**
 * Histograms: planning a read of a monitor element's stored blocks (histogram-read.ts streams it) and
 * the atomic ingest of new ones (histogram-ingest.ts). A label filter never selects lumisections of runs
 * whose labels are withheld (in the test split of an open task): that would reveal their labels.
 */
import type { Kysely } from "kysely";
import type { Database } from "./schema";
import {
  datasetId,
  monitorElementRow,
  toMonitorElement,
  type DatasetInfo,
  type MonitorElement,
} from "./datasets";
import { ingestHistograms, type IngestResult, type IngestSource } from "./histogram-ingest";
import { blocksOf, type HistogramQuery, type RunRange } from "./histogram-read";
import { LabelIndex, type Label } from "./lumisections";
import { hiddenRuns } from "./run-roles";
import type { HistogramRecord } from "../histograms/record";
import { InputError } from "../errors";

export interface HistogramFilter {
  runs: RunRange;
  minEntries?: number;
  label?: Label;
  includeFlow: boolean;
}

export class HistogramRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly blocksDir: string,
  ) {}

  /** Plans a histogram read: the blocks to send and how to filter them. */
  async query(
    dataset: string,
    me: string,
    filter: HistogramFilter,
  ): Promise<{ query: HistogramQuery; monitorElement: MonitorElement }> {
    const id = await datasetId(this.db, dataset);
    const row = await monitorElementRow(this.db, id, dataset, me);
    const monitorElement = toMonitorElement(row);
    if (filter.includeFlow && !monitorElement.hasFlow)
      throw new InputError(
        `monitor element '${me}' was ingested without under/overflow bins (from DIALS-style data): include_flow is not available`,
        { column: "include_flow" },
      );
    const blocks = await blocksOf(this.db, row.id, filter.runs);
    let keep: HistogramQuery["keep"];
    if (filter.label !== undefined || filter.minEntries !== undefined) {
      const labels =
        filter.label === undefined
          ? null
          : await LabelIndex.load(
              this.db,
              id,
              filter.runs.min !== undefined || filter.runs.max !== undefined
                ? { min: filter.runs.min ?? 0, max: filter.runs.max ?? 2 ** 31 - 1 }
                : undefined,
            );
      // A label filter never selects lumisections of withheld (test) runs: that would reveal their labels.
      const withheld = labels === null ? new Set<number>() : await hiddenRuns(this.db, id);
      const { minEntries, label } = filter;
      keep = (run, ls, entries) =>
        (minEntries === undefined || entries >= minEntries) &&
        (labels === null || (!withheld.has(run) && labels.labels(run, ls).label === label));
    }
    return {
      monitorElement,
      query: {
        blocksDir: this.blocksDir,
        blocks,
        binning: monitorElement.binning,
        runs: filter.runs,
        includeFlow: filter.includeFlow,
        keep,
      },
    };
  }

  ingest(
    dataset: DatasetInfo,
    source: IngestSource,
    records: AsyncIterable<HistogramRecord> | Iterable<HistogramRecord>,
    onProgress?: (records: number) => void,
  ): Promise<IngestResult> {
    return ingestHistograms({
      db: this.db,
      blocksDir: this.blocksDir,
      dataset,
      source,
      records,
      onProgress,
    });
  }
}
