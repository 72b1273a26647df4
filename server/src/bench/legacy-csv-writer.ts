/**
 * Writes one monitor element of a stored data set as a legacy ML4DQM CSV (the format `ingest --format
 * csv` reads and the original ML Playground published): one row per lumisection, `histo` a JSON list
 * with the under/overflow bins. The benchmark feeds the same file to `ingestFile` and to pandas.
 */
import fs from "node:fs";
import { once } from "node:events";
import type { FixedSizeList, Float32, RecordBatch, Vector } from "apache-arrow";
import type { Store } from "../store/store";
import { histogramBatches } from "../store/histogram-read";
import { LEGACY_CSV_COLUMNS } from "../ingest/legacy-csv";
import { fullSize, type Binning } from "../histograms/record";

/** ROOT class code of the `metype` column for a stored kind (TH1F when unknown). */
export function metypeOf(kind: string | null, dim: 1 | 2): number {
  const codes: Record<string, number> = { TH1F: 3, TH1S: 4, TH1D: 5, TH2F: 6, TH2S: 7, TH2D: 8 };
  return (kind !== null && codes[kind]) || (dim === 1 ? 3 : 6);
}

/** One CSV line (with its newline) in LEGACY_CSV_COLUMNS order. */
export function legacyCsvLine(
  run: number,
  lumisection: number,
  me: string,
  metype: number,
  histo: ArrayLike<number>,
  entries: number,
  b: Binning,
): string {
  let list = "[";
  for (let i = 0; i < histo.length; i++) list += (i > 0 ? "," : "") + histo[i];
  list += "]";
  const name = /[",\n]/.test(me) ? `"${me.replace(/"/g, '""')}"` : me;
  return `${run},${lumisection},${name},${metype},"${list}",${entries},${b.xmax},${b.xmin},${b.xbins},${b.ymax},${b.ymin},${b.ybins}\n`;
}

/** Buffered writer that respects the stream's back-pressure. */
class CsvFile {
  private readonly stream: fs.WriteStream;
  private chunk = "";
  bytes = 0;
  rows = 0;

  constructor(file: string) {
    this.stream = fs.createWriteStream(file);
  }

  async write(text: string, isRow = true): Promise<void> {
    this.chunk += text;
    this.bytes += Buffer.byteLength(text);
    if (isRow) this.rows++;
    if (this.chunk.length > 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    const text = this.chunk;
    this.chunk = "";
    if (!this.stream.write(text)) await once(this.stream, "drain");
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, "finish");
  }
}

export interface CsvExport {
  file: string;
  rows: number;
  bytes: number;
}

/** What the CSV says of a monitor element besides its rows. */
export interface CsvMonitorElement {
  name: string;
  /** Stored ROOT class name (TH1F, ...), or null. */
  kind: string | null;
  binning: Binning;
}

/**
 * Writes histogram batches (run, lumisection, entries, data with the under/overflow bins, as
 * `histogramBatches` gives them with `includeFlow`) to `file`, and their first `head.rows` rows also to
 * `head.file` (same header), in one pass.
 */
export async function writeLegacyCsvBatches(
  batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>,
  me: CsvMonitorElement,
  file: string,
  head?: { file: string; rows: number },
): Promise<{ all: CsvExport; head: CsvExport | null }> {
  const b = me.binning;
  const metype = metypeOf(me.kind, b.dim);
  const width = fullSize(b);
  const all = new CsvFile(file);
  const first = head ? new CsvFile(head.file) : null;
  try {
    const header = LEGACY_CSV_COLUMNS.join(",") + "\n";
    await all.write(header, false);
    await first?.write(header, false);
    for await (const batch of batches) {
      const runs = batch.getChild("run")!.toArray() as Int32Array;
      const lss = batch.getChild("lumisection")!.toArray() as Int32Array;
      const entries = batch.getChild("entries")!.toArray() as Float64Array;
      const bins = batch.getChild("data") as Vector<FixedSizeList<Float32>>;
      if (bins.type.listSize !== width)
        throw new Error(
          `batch has ${bins.type.listSize} bins per row, expected ${width} (with under/overflow)`,
        );
      if (bins.data.length !== 1 || bins.data[0].offset !== 0)
        throw new Error("expected one contiguous bins column per batch (as histogramBatches gives)");
      const data = bins.data[0].children[0].values as Float32Array;
      for (let i = 0; i < runs.length; i++) {
        const line = legacyCsvLine(
          runs[i],
          lss[i],
          me.name,
          metype,
          data.subarray(i * width, (i + 1) * width),
          entries[i],
          b,
        );
        await all.write(line);
        if (first && head && first.rows < head.rows) await first.write(line);
      }
    }
  } finally {
    await all.close();
    await first?.close();
  }
  return {
    all: { file, rows: all.rows, bytes: all.bytes },
    head: first && head ? { file: head.file, rows: first.rows, bytes: first.bytes } : null,
  };
}

/** Every lumisection of a stored monitor element as a legacy CSV (see `writeLegacyCsvBatches`). */
export async function writeLegacyCsv(
  store: Store,
  dataset: string,
  me: string,
  file: string,
  head?: { file: string; rows: number },
): Promise<{ all: CsvExport; head: CsvExport | null }> {
  const { query, monitorElement } = await store.histogramQuery(dataset, me, {
    runs: {},
    includeFlow: true,
  });
  return writeLegacyCsvBatches(
    histogramBatches(query),
    { name: me, kind: monitorElement.kind, binning: monitorElement.binning },
    file,
    head,
  );
}
